// The driver protocol's lines (docs/client-driver.md), parsed and checked one at a time. Pure.

/** A request Faultline writes to the driver's stdin. */
export interface DriverRequest {
  id: number;
  op: 'init' | 'put' | 'get' | 'delete' | 'watch' | 'cancel';
  key?: string;
  value?: string;
  prefix?: string;
  revision?: number;
  /** The endpoints to use, "host:port" (fault proxies): the driver keeps one client per list. */
  endpoints?: string[];
  /** cancel: the id of the watch request to end. */
  watch?: number;
}

/** The answer to one request. info: the operation may or may not have taken effect. */
export interface DriverReply {
  id: number;
  outcome: 'ok' | 'fail' | 'info';
  value?: string | null;
  error?: string;
}

/** One try the client library reports of itself (optional). */
export interface DriverAttempt {
  attempt: number;
  status: string;
  endpoint?: string;
  error?: string;
}

/** One change a watch delivered. */
export interface DriverEvent {
  watch: number;
  key: string;
  value?: string;
  revision?: number;
  type?: 'put' | 'delete';
}

/** A change of the watch itself, in the library's own words. */
export interface DriverWatchState {
  watch: number;
  state: 'reconnecting' | 'reconnected' | 'ended' | 'error';
  detail?: string;
}

/** Any line a driver writes to stdout. */
export type DriverLine = { kind: 'reply'; reply: DriverReply } | { kind: 'attempt'; attempt: DriverAttempt } | { kind: 'event'; event: DriverEvent } | { kind: 'state'; state: DriverWatchState };

const OUTCOMES = new Set(['ok', 'fail', 'info']);
const STATES = new Set(['reconnecting', 'reconnected', 'ended', 'error']);

/** The line as a protocol message, or the rule it breaks (a string). */
export function parseDriverLine(line: string): DriverLine | string {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return 'is not JSON: every stdout line of a driver is one JSON object (logs belong on stderr)';
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return 'is not a JSON object';
  const o = m as Record<string, unknown>;
  if (typeof o.attempt === 'number') return typeof o.status === 'string' ? { kind: 'attempt', attempt: o as unknown as DriverAttempt } : 'is an attempt line without a string "status"';
  if (typeof o.watch === 'number' && typeof o.state === 'string') return STATES.has(o.state) ? { kind: 'state', state: o as unknown as DriverWatchState } : `has "state": ${JSON.stringify(o.state)}; a watch state is "reconnecting", "reconnected", "ended" or "error"`;
  if (typeof o.watch === 'number') return typeof o.key === 'string' ? { kind: 'event', event: o as unknown as DriverEvent } : 'is a watch event without a string "key"';
  if (typeof o.id === 'number') return OUTCOMES.has(o.outcome as string) ? { kind: 'reply', reply: o as unknown as DriverReply } : `answers request ${o.id} with "outcome": ${JSON.stringify(o.outcome)}; an outcome is "ok", "fail" or "info"`;
  return 'is none of the protocol\'s lines: a reply has a numeric "id" and an "outcome", an attempt a numeric "attempt", a watch event a numeric "watch" and a "key"';
}
