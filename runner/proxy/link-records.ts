// What a link saw, on the run's clock: from these the DSL asserts retries of clients it does not control.
import type { Fault } from './faults.ts';

/**
 * Who ended a connection and how.
 * client-end / upstream-end: that side sent FIN. client-error / upstream-error: that side failed (see `closeDetail`).
 * reset-by-fault: the proxy sent RST because of a "reset" fault. cut: the proxy dropped it (`cut()` or a "refuse" start).
 * refused-by-fault: a peer link under "refuse" (or a one-way cut): its gate accepted the dial and reset it at once.
 * proxy-closed: the proxy itself was closed.
 */
export type CloseCause =
  | 'client-end'
  | 'client-error'
  | 'upstream-end'
  | 'upstream-error'
  | 'reset-by-fault'
  | 'cut'
  | 'refused-by-fault'
  | 'proxy-closed';

/** One accepted connection. Times are milliseconds from the run's clock origin. */
export interface ConnectionRecord {
  /** 1-based, in accept order, unique within the link. */
  id: number;
  acceptedAt: number;
  /** The fault active when the connection was accepted, as `describeFault()` names it; null if none. */
  faultAtAccept: string | null;
  upstreamConnectedAt?: number;
  upstreamError?: { at: number; code: string; message: string };
  /** When the first side ended or failed (or the proxy ended it). */
  closedAt?: number;
  closedBy?: CloseCause;
  /** An error code or the reason for a cut, e.g. "ECONNRESET" or "fault refuse started". */
  closeDetail?: string;
  bytesToUpstream: number;
  bytesToClient: number;
  droppedToUpstream: number;
  droppedToClient: number;
  /** The first request line when the dialler spoke HTTP/1, e.g. "GET /raft/stream/msgapp/8e9e05c52164694d". */
  request?: string;
}

/** One fault's lifetime on the link. */
export interface FaultSpan {
  fault: Fault;
  description: string;
  startedAt: number;
  endedAt?: number;
  /** False during "refuse": refused connects never reach the proxy, so they are not in `connections`. */
  attemptsObservable: boolean;
  note?: string;
}

/** Everything one link recorded. */
export interface LinkRecords {
  link: string;
  listenPort: number;
  target: { host: string; port: number };
  connections: ConnectionRecord[];
  faults: FaultSpan[];
}

/** The note attached to every "refuse" span, so readers do not mistake silence for no retries. */
export const refuseNote =
  'connection attempts during "refuse" are refused by the kernel and not observable at the proxy';

/** Connection attempts as the proxy saw them (accept times, ascending), optionally within [from, to]. */
export function connectionAttempts(records: LinkRecords, window: { from?: number; to?: number } = {}): number[] {
  const from = window.from ?? -Infinity;
  const to = window.to ?? Infinity;
  return records.connections
    .map((c) => c.acceptedAt)
    .filter((t) => t >= from && t <= to)
    .sort((a, b) => a - b);
}

/** Differences between consecutive times, in milliseconds: the reconnect gaps of a retrying client. */
export function gaps(times: readonly number[]): number[] {
  const result: number[] = [];
  for (let i = 1; i < times.length; i++) result.push(times[i]! - times[i - 1]!);
  return result;
}

/** Intervals in which attempts could not be seen ("refuse" spans); an open span ends at `now`. */
export function blindSpans(records: LinkRecords, now = Infinity): { from: number; to: number }[] {
  return records.faults
    .filter((f) => !f.attemptsObservable)
    .map((f) => ({ from: f.startedAt, to: f.endedAt ?? now }));
}
