// One test's outcome in the matrix's words. A DOC-GAP test runs as expected-to-fail (runner/compile.ts):
// its expected failure confirms the gap only with a `docGap` record saying so (runner/reporter-records.ts), its
// unexpected pass says the gap has closed, and a failure for another reason, or without a verdict, confirms nothing.
import type { Outcome, TestRunRecord } from './model.ts';

/** The outcome of one test (or of its absence) for a cell declared `declared`, and why — naming the subject judged. */
export function classify(run: TestRunRecord | undefined, declared: string): { outcome: Outcome; reason?: string } {
  const c = classifyOutcome(run, declared);
  // "subject" annotations: which subject was judged — a client under test, a server's or a dependent server's
  // link — claimed vs measured (runner/expect-step.ts, runner/peer-expect.ts), whatever the outcome;
  // "fault-effect": what a healed fault measurably did (runner/fault-effects.ts). Shown as written, never parsed.
  const subjects = [...new Set((run?.annotations ?? []).filter((a) => (a.type === 'subject' || a.type === 'fault-effect') && a.description).map((a) => a.description!))];
  return subjects.length ? { ...c, reason: [c.reason, ...subjects].filter(Boolean).join(' — ') } : c;
}

function classifyOutcome(run: TestRunRecord | undefined, declared: string): { outcome: Outcome; reason?: string } {
  if (declared === 'n/a') return { outcome: 'n/a' };
  if (!run) return { outcome: 'not run', reason: 'no test result: filtered out (--grep, --project, a file filter), or the spec was not loaded' };
  if (run.status === undefined) return { outcome: 'not run', reason: 'the test was collected but did not run (stopped by maxFailures, or interrupted)' };
  if (run.status === 'interrupted') return { outcome: 'not run', reason: 'interrupted before it finished' };
  const annotation = (type: string) => [...run.annotations].reverse().find((a) => a.type === type)?.description;
  if (run.status === 'skipped') {
    const reason = annotation('skip') ?? annotation('fixme') ?? 'skipped';
    return { outcome: run.records?.notConfigured ? 'not configured' : 'skipped', reason };
  }
  const gap = run.records?.docGap;
  if (declared === 'DOC-GAP' && gap && !gap.confirmed && run.status !== 'passed') return { outcome: 'gap not confirmed', reason: `DOC-GAP not confirmed: failed for another reason — ${gap.why}` };
  if (run.expectedStatus === 'failed') {
    const reason = gap?.confirmed ? `${annotation('fail') ?? 'DOC-GAP'} — confirmed by ${gap.why}` : annotation('fail');
    if (run.status === 'passed') return { outcome: 'gap closed', reason: 'the documented gap did not show (the test passed): update the matrix and the seed' };
    if (run.status === 'failed' && run.records?.infrastructure) return { outcome: 'failed', reason: 'infrastructure failure: the run broke before the gap could show, so it proves nothing' };
    // Only runDocGap's verdict confirms: a failure without one came from outside the scenario's steps (e.g. its teardown).
    if (run.status === 'failed' && !gap?.confirmed) return { outcome: 'gap not confirmed', reason: 'DOC-GAP not confirmed: the test failed without a verdict on the gap (outside the scenario\'s steps, e.g. in its teardown), so nothing showed the gap' };
    if (run.status === 'failed') return { outcome: 'gap confirmed', reason };
    return { outcome: 'failed', reason: `${run.status === 'timedOut' ? 'timed out' : run.status}; a documented gap must show as a failure, not a timeout` };
  }
  if (run.status === 'passed') return { outcome: 'passed' };
  return { outcome: 'failed', ...(run.status === 'timedOut' ? { reason: 'timed out' } : {}) };
}

/** The first lines of each error, without colour codes: enough to tell failures apart in a cell. */
export function summarizeErrors(errors: readonly string[], maxLines = 4, maxChars = 600): string[] {
  return errors.map((e) => {
    const lines = stripAnsi(e).split('\n').filter((l) => l.trim());
    const text = lines.slice(0, maxLines).join('\n');
    return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  });
}

/** Removes terminal colour codes (Playwright's errors carry them). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
