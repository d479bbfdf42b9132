// Tells a DOC-GAP test that failed for the documented gap (a client that does not survive a
// connectivity fault) from one that failed for another reason (a wrong .proto, an unmapped operation,
// a node that never started, a plan error), from the error and the run's own records. Pure.
import type { OpRecord } from './history.ts';
import type { LinkRecords } from './proxy/link-records.ts';
import type { WatchRecording } from './watch/watch-record.ts';

/** What a run recorded that shows how it failed: every attempt, every watch stream, every fault-proxy link. */
export interface DocGapEvidence {
  history: readonly OpRecord[];
  watches: readonly WatchRecording[];
  links: readonly LinkRecords[];
}

/** `why` names the record (or the error) that decided. */
export interface DocGapVerdict {
  confirmed: boolean;
  why: string;
}

/** The annotation a DOC-GAP test carries once it failed: `confirmed: …` or `not confirmed: …`. */
export const DOC_GAP_ANNOTATION = 'doc-gap';

/** The keys of runner/matchers/index.ts: Playwright names an ExpectError's matcherResult after them. */
export const FAULTLINE_MATCHERS: readonly string[] = ['toRetry', 'toSucceed', 'toFail', 'toHaveRead', 'toHaveLeader', 'toBeLinearizable', 'toHaveLostNothing', 'toReceiveAll', 'toEnd', 'toContainLogLine', 'toSeeRetries'];

/** A server that is down, frozen or cut off: refused, reset, or no answer in time. */
const CONNECTIVITY_STATUSES = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);
/** Statuses a lost transport can also surface as (grpc-js: RST_STREAM → INTERNAL; etcdctl text → UNKNOWN): decided by their words. */
const AMBIGUOUS_STATUSES = new Set(['UNKNOWN', 'INTERNAL', 'CANCELLED']);
/** A transport that lost its peer, in the words of grpc-js, Node, grpc-go, etcd3, and our etcd watch client. */
const CONNECTIVITY_WORDS = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|Connection dropped|No connection established|Failed to connect|connection (?:refused|reset|closed)|socket hang up|RST_STREAM|transport is closing|context deadline exceeded|circuit breaker is open|the server ended the stream/i;
const GRPC_CODE = /\b(CANCELLED|UNKNOWN|INVALID_ARGUMENT|DEADLINE_EXCEEDED|NOT_FOUND|ALREADY_EXISTS|PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS|UNAUTHENTICATED)\b/;
/** Link faults that cut a client off (latency and bandwidth only slow it down). */
const CUTTING_FAULTS = new Set(['refuse', 'reset', 'blackhole']);
/** Watch lifecycle records that say the stream was in trouble. */
const WATCH_TROUBLE = new Set(['terminated', 'error', 'reconnecting', 'exited']);

/** One failure the run recorded; `final`: the operation or stream did not recover from it. */
interface Failure {
  t: number;
  text: string;
  connectivity: boolean;
  final: boolean;
}

/**
 * The gap is a failed Faultline expectation, or an operation that failed, in a run whose only recorded
 * failures are connectivity failures (and there is at least one). Anything else is another reason.
 * @example
 * const verdict = classifyDocGapFailure(error, { history: run.history, watches: [], links: [] });
 * if (!verdict.confirmed) console.log(verdict.why);
 */
export function classifyDocGapFailure(error: unknown, evidence: DocGapEvidence): DocGapVerdict {
  const kind = failureKind(error);
  if (kind === 'other') return { confirmed: false, why: `${headline(error)} — not a failed expectation or operation, so it cannot show the gap` };
  const failures = recordedFailures(evidence).sort((a, b) => a.t - b.t);
  const other = failures.find((f) => !f.connectivity);
  if (other) return { confirmed: false, why: `${other.text} — not a connectivity failure` };
  const connectivity = failures.find((f) => f.final) ?? failures[0];
  if (!connectivity) return { confirmed: false, why: `${kind === 'expectation' ? 'the expectation' : 'the operation'} failed, but the run recorded no connectivity failure (no failed attempt, broken watch stream or link fault)` };
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more connectivity failure(s))` : '';
  return { confirmed: true, why: `${connectivity.text}${more}` };
}

/** The annotation that records a verdict on the test. */
export function docGapAnnotation(verdict: DocGapVerdict): { type: string; description: string } {
  return { type: DOC_GAP_ANNOTATION, description: `${verdict.confirmed ? 'confirmed' : 'not confirmed'}: ${verdict.why}` };
}

/** The verdict a test's annotations carry (the last one), or undefined when it has none. */
export function readDocGapAnnotation(annotations: readonly { type: string; description?: string }[]): DocGapVerdict | undefined {
  const d = [...annotations].reverse().find((a) => a.type === DOC_GAP_ANNOTATION)?.description;
  const m = d === undefined ? null : /^(confirmed|not confirmed): ([\s\S]*)$/.exec(d);
  return m ? { confirmed: m[1] === 'confirmed', why: m[2]! } : undefined;
}

/** Whether a status and its words describe a lost connection. */
export function isConnectivityFailure(status: string, detail = ''): boolean {
  return CONNECTIVITY_STATUSES.has(status) || (AMBIGUOUS_STATUSES.has(status) && CONNECTIVITY_WORDS.test(detail));
}

function failureKind(error: unknown): 'expectation' | 'operation' | 'other' {
  const e = error as { name?: unknown; matcherResult?: { name?: unknown } } | null;
  if (typeof e?.matcherResult?.name === 'string' && FAULTLINE_MATCHERS.includes(e.matcherResult.name)) return 'expectation';
  return e?.name === 'OperationError' ? 'operation' : 'other';
}

function recordedFailures(evidence: DocGapEvidence): Failure[] {
  const out: Failure[] = [];
  for (const r of evidence.history) {
    for (const a of r.attempts) {
      if (a.status === 'OK') continue;
      out.push({ t: a.start, text: `${r.op} ${JSON.stringify(r.key)} (op ${r.id}, ${r.process}) attempt #${a.n} to ${a.endpoint}: ${a.status}${detail(a.error)}`, connectivity: isConnectivityFailure(a.status, a.error), final: r.outcome !== 'ok' });
    }
  }
  for (const w of evidence.watches) {
    const stopped = w.lifecycle.find((l) => l.kind === 'stopped');
    for (const l of w.lifecycle) {
      if (!WATCH_TROUBLE.has(l.kind) || (stopped && l.t >= stopped.t)) continue;
      const words = l.detail ?? '';
      out.push({ t: l.t, text: `watch "${w.client}" ${l.kind} at ${Math.round(l.t)}ms${words ? `:${detail(words)}` : ''}`, connectivity: isConnectivityFailure(statusIn(words), words), final: l.kind === 'terminated' || l.kind === 'exited' });
    }
  }
  for (const link of evidence.links) {
    for (const f of link.faults) {
      if (CUTTING_FAULTS.has(f.fault.kind)) out.push({ t: f.startedAt, text: `link ${link.link}: ${f.description} from ${Math.round(f.startedAt)}ms`, connectivity: true, final: true });
    }
    for (const c of link.connections) {
      const u = c.upstreamError;
      if (u && isConnectivityFailure('UNKNOWN', `${u.code} ${u.message}`)) out.push({ t: u.at, text: `link ${link.link}: connection #${c.id} to the server failed: ${u.code}`, connectivity: true, final: false });
    }
  }
  return out;
}

/** The gRPC status a client's own words carry ("UNAVAILABLE: …", "14 UNAVAILABLE: …", grpc-go's "code = Unavailable"). */
function statusIn(text: string): string {
  const named = GRPC_CODE.exec(text)?.[1];
  if (named) return named;
  const go = /code = (\w+)/.exec(text)?.[1];
  if (go) return go === 'Canceled' ? 'CANCELLED' : go.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return 'UNKNOWN';
}

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
