// What the runner holds of a configured client under test: a self-retrying client (one call runs a whole
// operation with the client's own retries) that may also watch, and the claims its documentation makes.
import type { Clock } from '../time/clock.ts';
import type { Attempt } from '../records/history.ts';
import type { Endpoint, SelfRetryingClient } from '../contract/service.ts';
import type { WatchClientHandle } from '../watch/watch-record.ts';
import type { ClientUnderTestConfig } from '../contract/subject-config.ts';

/** How a watch of a client under test is opened. */
export interface SubjectWatchOptions {
  clock: Clock;
  prefix: string;
  /** First revision to deliver, when the service can tell the current one. */
  startRevision?: number;
  logFile?: string;
}

/** A configured client under test, running. */
export interface ClientUnderTest extends SelfRetryingClient {
  readonly config: ClientUnderTestConfig;
  /** Opens a watch; undefined when the configuration has none. */
  watch?(endpoints: Endpoint[], options: SubjectWatchOptions): Promise<WatchClientHandle>;
}

/** "node-1@127.0.0.1:20001" for a reported "127.0.0.1:20001"; every endpoint when it names none. */
export function endpointLabel(endpoints: Endpoint[], reported?: string): string {
  const one = reported === undefined ? undefined : endpoints.find((e) => e.address === reported || reported.endsWith(`/${e.address}`));
  return one ? `${one.node}@${one.address}` : endpoints.map((e) => `${e.node}@${e.address}`).join(',');
}

/** The gRPC status name an error text carries ("code = Unavailable", "14 UNAVAILABLE:"), else UNKNOWN. Pure. */
export function statusOfText(text: string): string {
  const go = /code = (\w+)/.exec(text)?.[1];
  if (go) return go === 'Canceled' ? 'CANCELLED' : go.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const js = /\b\d+ ([A-Z_]{4,}):/.exec(text)?.[1];
  if (js) return js;
  if (/deadline exceeded|timed out/i.test(text)) return 'DEADLINE_EXCEEDED';
  if (/ECONNREFUSED|ECONNRESET|connection refused|unavailable|circuit breaker is open/i.test(text)) return 'UNAVAILABLE';
  if (/canceled|cancelled/i.test(text)) return 'CANCELLED';
  return 'UNKNOWN';
}

/**
 * Attempts as a list: the reported ones (each starting where the previous ended); the whole call is one
 * more only when nothing was reported, or when it succeeded after reported failures (a client that logs
 * only its failed tries, like clientv3, does not log the try that worked).
 */
export function attemptsOf(reported: { at: number; status: string; endpoint: string; error?: string }[], whole: Omit<Attempt, 'n'>): Attempt[] {
  const attempts: Attempt[] = [];
  let from = whole.start;
  for (const r of reported) {
    attempts.push({ n: attempts.length + 1, start: Math.round(from * 10) / 10, end: Math.round(r.at * 10) / 10, endpoint: r.endpoint, status: r.status, ...(r.error ? { error: r.error } : {}) });
    from = r.at;
  }
  if (!reported.length || (whole.status === 'OK' && reported.at(-1)!.status !== 'OK')) attempts.push({ n: attempts.length + 1, ...whole, start: Math.round(whole.start * 10) / 10, end: Math.round(whole.end * 10) / 10 });
  return attempts;
}
