// Expectations on peer links: each directed link judged on its own, its dials and log lines attached with times.
import { test } from '@playwright/test';
import { formatMs } from '../dsl/duration.ts';
import type { PlanStep } from '../dsl/plan.ts';
import type { ToRetryArgs } from '../dsl/expect.ts';
import { faultlineExpect } from './matchers/index.ts';
import { describeClaim, judgeView, type ClaimTolerance } from './matchers/to-retry-as-claimed.ts';
import { observePeerRetries, type PeerRetryObservation } from './peer-retries.ts';
import { linkPairs } from './peer-links.ts';
import { EnvironmentError } from './process/process-errors.ts';
import type { Run } from './run.ts';

/** Arguments of toRetryAsClaimed as the plan stores them. */
export interface ToRetryAsClaimedArgs {
  withinMs: number;
  tolerance: number;
  slackMs: number;
  quorum: number;
  /** 'log': the dialler's own lines alone (no gate stood on the link). */
  view?: 'gate and log' | 'log';
  /** Attempts each retry loop must show. */
  atLeast?: number;
}

/** How long after a window's end its log lines are read (they come through a pipe, later than the gate's records). */
const LOG_CATCH_UP_MS = 300;

/** The last fault on any of the links (or of the run) before now: attempts count from there. */
function faultStart(run: Run, pairs: [string, string][]): { fromMs: number; fromWhat: string } {
  const spans = pairs.flatMap(([f, t]) => run.network.linkRecordsOf(f, t)?.faults ?? []);
  const span = spans.sort((a, b) => b.startedAt - a.startedAt)[0];
  if (span) return { fromMs: span.startedAt, fromWhat: `${span.description} at ${formatMs(span.startedAt)}` };
  const fault = run.events.events.findLast((e) => e.kind === 'fault.start');
  return fault ? { fromMs: fault.t, fromWhat: `"${fault.title}" at ${formatMs(fault.t)}` } : { fromMs: 0, fromWhat: "the run's start" };
}

/** Markdown: the link's dial attempts and matching log lines, times relative to the fault. */
export function describePeerObservation(o: PeerRetryObservation): string {
  const rows = (xs: { t: number; series: string; outcome: string; line?: string }[], withLine: boolean) =>
    xs.map((a, i) => `| ${i + 1} | +${formatMs(a.t - o.fromMs)} | ${a.series} | ${withLine ? (a.line ?? '').slice(0, 200).replace(/\|/g, '\\|') : a.outcome} |`).join('\n');
  return [
    `# ${o.link} after ${o.fromWhat}`,
    '',
    ...(o.dials
      ? [`## Dial attempts at the gate (${o.dials.length})`, '', '| # | time from fault | stream | outcome |', '|---|---|---|---|', rows(o.dials, false) || '| – | – | – | no dial |']
      : ['## Dial attempts at the gate', '', 'No gate stood on this link (judged by the dialler\'s own log lines alone: no process sees a dial the kernel drops).']),
    '',
    `## Retry lines in the dialler's own log (${o.logLines?.length ?? 'no pattern'})${o.standIn ? ` — stand-in patterns: ${o.standIn}` : ''}`,
    '',
    '| # | time from fault (line\'s own timestamp) | stream | line |',
    '|---|---|---|---|',
    (o.logLines ? rows(o.logLines, true) : '') || '| – | – | – | no line |',
    '',
  ].join('\n');
}

/** Runs toSeeRetries / toRetryAsClaimed on every directed link the subject names. */
export async function peerExpectStep(step: Extract<PlanStep, { kind: 'expect' }>, run: Run): Promise<void> {
  if (step.subject.kind !== 'link') return;
  const pairs = await linkPairs(run, step.subject.link);
  await run.network.syncLinks();
  const { fromMs, fromWhat } = faultStart(run, pairs);
  const a = step.args[0] as (ToRetryArgs & { withinMs: number }) | ToRetryAsClaimedArgs;
  // Both views are cut at the window's end; the log is read a little after it, since a server's lines
  // reach its log file through the run's pipe later than the gate records a dial (measured: ~200 ms).
  const untilMs = fromMs + a.withinMs;
  const left = untilMs + LOG_CATCH_UP_MS - run.clock.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
  await run.network.syncLinks();
  const logOnly = (a as ToRetryAsClaimedArgs).view === 'log';
  const observations = pairs.map(([f, t]) => observePeerRetries(run, f, t, { fromMs, untilMs }, fromWhat, logOnly));
  for (const o of observations) {
    await test.info().attach(`peer-link-${o.link.replace(' → ', '-to-')}.md`, { body: describePeerObservation(o), contentType: 'text/markdown' });
  }
  if (step.matcher === 'toSeeRetries') {
    for (const o of observations) faultlineExpect({ link: o.link, fromMs, fromWhat, attempts: (o.dials ?? []).map((d) => d.t) }).toSeeRetries(a as ToRetryArgs);
    return;
  }
  // The subject is the dialler: a server of the cluster (its peer claim), or a dependent server (its own reconnect claim).
  const from = pairs[0]![0];
  const cluster = run.clusterOfNode(from);
  const service = cluster.service;
  const dependent = cluster.dependentDefinition(from);
  const claim = dependent ? dependent.claims?.reconnect : service.claims?.peer;
  if (!claim && dependent) throw new EnvironmentError(`toRetryAsClaimed() compares with what the dependent server "${from}" claims about its reconnects, but ${service.name}'s definition of it states none.\n  Fix: add "claims": { "reconnect": { "what", "source", "initial", "multiplier", "max", "retries" } } to "${service.name}".dependents in its configuration (docs/services.md, "Claims"), citing where the claim comes from.`);
  if (!claim) throw new EnvironmentError(`toRetryAsClaimed() compares with the service's claimed peer retry policy, but the ${service.name} definition states none.\n  Fix: add "claims": { "peer": { "what", "source", "initial", "multiplier", "max", "retries" } } to "${service.name}" in its configuration (docs/services.md, "Claims"), citing where the claim comes from.`);
  const tol = a as ToRetryAsClaimedArgs;
  const tolerance: ClaimTolerance = { tolerance: tol.tolerance, slackMs: tol.slackMs, quorum: tol.quorum, ...(tol.atLeast !== undefined ? { atLeast: tol.atLeast } : {}) };
  const summary = observations.map((o) => {
    const gate = o.dials ? judgeView('gate', o.dials, claim, tolerance) : undefined;
    const log = o.logLines ? judgeView('log', o.logLines, claim, tolerance) : undefined;
    // When the first attempt came, after the fault: a redial that waits for a stalled stream to time out says so.
    const first = (xs?: { t: number }[]) => (xs?.length ? `; first +${formatMs(Math.min(...xs.map((x) => x.t)) - fromMs)}` : '');
    const views = [gate && `gate ${gate.ok ? 'ok' : 'off'} (${gate.why}${first(o.dials)})`, log && `log ${log.ok ? 'ok' : 'off'} (${log.why}${first(o.logLines)})`].filter(Boolean);
    return `${o.link}: ${views.join(', ')}`;
  });
  // The subject judged and both sides, worded like a client under test's, for the Allure step and the gap-matrix cell.
  const subject = dependent ? `${from} (${service.name}'s dependent server)` : `${service.name}'s servers`;
  const line = `${claim.what}, ${subject}: claimed ${describeClaim(claim)}; measured ${summary.join(' | ')}`;
  test.info().annotations.push({ type: 'subject', description: line });
  await test.info().attach('claimed-vs-measured.txt', { body: `${line}\n  claim: ${claim.source}\n`, contentType: 'text/plain' });
  for (const o of observations) faultlineExpect({ observation: o, claim, tolerance }).toRetryAsClaimed();
}
