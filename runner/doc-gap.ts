// Tells a DOC-GAP test that failed for the documented gap (a client that does not survive a
// connectivity fault) from one that failed for another reason (a wrong .proto, a wrong value read, a
// cluster without a leader, a plan error), from the error and the records of the step it failed in. Pure.
import type { PlanStep } from '../dsl/plan.ts';
import { isConnectivityFailure, statusIn } from './connectivity.ts';
import type { Attempt, OpRecord } from './records/history.ts';
import type { LinkRecords } from './proxy/link-records.ts';
import type { WatchRecording } from './watch/watch-record.ts';
import { OperationError } from './errors.ts';
import { matcherByDsl, matcherByRuntime, MATCHERS } from './matchers/registry.ts';

/**
 * The step the error failed in (runner/failed-step.ts) and that step's own records: the operation it ran
 * or checks (for toRead: the read it made), its watch, its link. Nothing else the run recorded counts.
 */
export interface DocGapEvidence {
  step?: PlanStep;
  op?: OpRecord;
  watch?: WatchRecording;
  link?: LinkRecords;
}

/** `why` names the record (or the error) that decided. */
export interface DocGapVerdict {
  confirmed: boolean;
  why: string;
}

/** The annotation a DOC-GAP test carries once it failed, for people: `confirmed: …` or `not confirmed: …` (reporters read the typed record, runner/reporter-records.ts). */
export const DOC_GAP_ANNOTATION = 'doc-gap';

/** Runtime names of Faultline's matchers (Playwright names an ExpectError's matcherResult after them), from the one registry. */
export const FAULTLINE_MATCHERS: readonly string[] = MATCHERS.map((m) => m.runtime);

/** Statuses the runner retries as transient (runner/operation.ts): a retried one is not why an operation failed. */
const TRANSIENT_STATUSES = new Set(['ABORTED', 'RESOURCE_EXHAUSTED']);
/** Link faults that cut a client off (latency and bandwidth only slow it down). */
const CUTTING_FAULTS = new Set(['refuse', 'reset', 'blackhole']);
/** Watch lifecycle records that say the stream was in trouble. */
const WATCH_TROUBLE = new Set(['terminated', 'error', 'reconnecting', 'exited']);

/**
 * The gap is an unchecked operation that failed, or a failed toSucceed / toRetry (that operation's attempts),
 * toRead (the read itself failed), toReceiveAll / toEnd (that watch's stream) or toSeeRetries (that link),
 * whose own failures are all connectivity failures (and there is at least one). Anything else is another reason.
 * @example
 * const verdict = classifyDocGapFailure(error, await docGapEvidence(run, error)); // runner/doc-gap-evidence.ts
 * if (!verdict.confirmed) console.log(verdict.why);
 */
export function classifyDocGapFailure(error: unknown, evidence: DocGapEvidence): DocGapVerdict {
  const { step } = evidence;
  if (step?.kind === 'op' && error instanceof OperationError) return judgeOperation(evidence.op, `"${step.title}"`);
  const matcher = matcherOf(error);
  if (!matcher) return no(`${headline(error)} — not a failed expectation or operation, so it cannot show the gap`);
  if (step?.kind === 'expect' && matcher === matcherByDsl(step.matcher).runtime) {
    const where = `"${step.title}"`;
    if (matcher === 'toSucceed' || matcher === 'toRetry' || matcher === 'toRetryAsClientClaims') return judgeOperation(evidence.op, where);
    if (step.matcher === 'toRead') return judgeRead(evidence.op, step.args[1], where);
    if (matcher === 'toReceiveAll' || matcher === 'toEnd') return judgeWatch(evidence.watch, where);
    if (matcher === 'toSeeRetries') return judgeLink(evidence.link, where);
  }
  const checks = matcherByRuntime(matcher)?.checksInstead ?? 'a record outside the expectation it belongs to';
  return no(`${matcher}() failed${step ? ` in "${step.title}"` : ''} — it checks ${checks}, not whether the client survived the fault, so it cannot show the gap`);
}

/** The annotation that shows a verdict on the test, for people; never parsed back. */
export function docGapAnnotation(verdict: DocGapVerdict): { type: string; description: string } {
  return { type: DOC_GAP_ANNOTATION, description: `${verdict.confirmed ? 'confirmed' : 'not confirmed'}: ${verdict.why}` };
}

/** That operation failed or retried on connectivity only; a transient status the runner retried past does not count. */
function judgeOperation(r: OpRecord | undefined, where: string): DocGapVerdict {
  if (!r) return no(`${where} failed, but its operation has no record`);
  const last = r.attempts[r.attempts.length - 1];
  const failed = r.attempts.filter((a) => a.status !== 'OK' && !(a !== last && TRANSIENT_STATUSES.has(a.status)));
  const other = failed.find((a) => !isConnectivityFailure(a.status, a.error));
  if (other) return no(`${attemptText(r, other)} — not a connectivity failure`);
  if (!failed.length) return no(`${where} failed, but ${r.op} ${JSON.stringify(r.key)} (op ${r.id}, ${r.process}) made no attempt that failed for connectivity`);
  // A client under test documented as not retrying shows its gap only when it did not retry.
  const connections = r.subject?.connections.length ?? 0;
  if (r.subject && (r.attempts.length > 1 || connections > 1)) return no(`${r.subject.client} (${r.subject.service}'s client under test) failed for connectivity but retried (${r.attempts.length} tries, ${connections} connections on its links): it does not lack retries as documented`);
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more connectivity failure(s))` : '';
  return yes(`${attemptText(r, failed[0]!)}${more}`);
}

/** A read that returned a value (even the wrong one) reached the server: only a failed read is the gap. */
function judgeRead(r: OpRecord | undefined, expected: unknown, where: string): DocGapVerdict {
  if (r?.outcome === 'ok') return no(`${where}: the read of ${JSON.stringify(r.key)} (op ${r.id}, ${r.process}) succeeded and returned ${JSON.stringify(r.result ?? null)}, not ${JSON.stringify(expected ?? null)} — a wrong value is not a connectivity failure`);
  return judgeOperation(r, where);
}

/** That watch's stream broke on connectivity (the records after the test's own stop() are not evidence). */
function judgeWatch(w: WatchRecording | undefined, where: string): DocGapVerdict {
  if (!w) return no(`${where} failed, but its watch has no recording`);
  const stopped = w.lifecycle.find((l) => l.kind === 'stopped');
  const trouble = w.lifecycle.filter((l) => WATCH_TROUBLE.has(l.kind) && !(stopped && l.t >= stopped.t));
  const text = (l: (typeof trouble)[number]) => `watch "${w.client}" ${l.kind} at ${Math.round(l.t)}ms${l.detail ? `:${detail(l.detail)}` : ''}`;
  const other = trouble.find((l) => !isConnectivityFailure(statusIn(l.detail ?? ''), l.detail ?? ''));
  if (other) return no(`${text(other)} — not a connectivity failure`);
  const final = trouble.find((l) => l.kind === 'terminated' || l.kind === 'exited') ?? trouble[0];
  if (!final) return no(`${where} failed, but watch "${w.client}" recorded no broken stream`);
  const more = trouble.length > 1 ? ` (and ${trouble.length - 1} more connectivity failure(s))` : '';
  return yes(`${text(final)}${more}`);
}

/** That link was cut (refuse, reset, blackhole) or its server connections failed on connectivity. */
function judgeLink(link: LinkRecords | undefined, where: string): DocGapVerdict {
  if (!link) return no(`${where} failed, but its link has no records`);
  const cut = link.faults.find((f) => CUTTING_FAULTS.has(f.fault.kind));
  if (cut) return yes(`link ${link.link}: ${cut.description} from ${Math.round(cut.startedAt)}ms`);
  const lost = link.connections.find((c) => c.upstreamError && isConnectivityFailure('UNKNOWN', `${c.upstreamError.code} ${c.upstreamError.message}`));
  if (lost) return yes(`link ${link.link}: connection #${lost.id} to the server failed: ${lost.upstreamError!.code}`);
  return no(`${where} failed, but link ${link.link} was not cut (no refuse, reset or blackhole fault, no failed server connection)`);
}

function attemptText(r: OpRecord, a: Attempt): string {
  return `${r.op} ${JSON.stringify(r.key)} (op ${r.id}, ${r.process}) attempt #${a.n} to ${a.endpoint}: ${a.status}${detail(a.error)}`;
}

function matcherOf(error: unknown): string | undefined {
  const name = (error as { matcherResult?: { name?: unknown } } | null)?.matcherResult?.name;
  return typeof name === 'string' && matcherByRuntime(name) ? name : undefined;
}

const yes = (why: string): DocGapVerdict => ({ confirmed: true, why });
const no = (why: string): DocGapVerdict => ({ confirmed: false, why });

function headline(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  // Playwright's own matchers colour their messages.
  // eslint-disable-next-line no-control-regex
  const first = String(e?.message ?? error).replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0]!;
  return typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}: ${first}` : first;
}

function detail(text: string | undefined): string {
  if (!text) return '';
  const one = text.replace(/\s+/g, ' ').trim();
  return ` ${one.length > 240 ? `${one.slice(0, 239)}…` : one}`;
}
