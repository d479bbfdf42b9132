// A watch client's verdict, in its own file so the check and its description both name it without a circle.
import type { OpRecord } from '../records/history.ts';
import type { WatchEvent, WatchLifecycle } from './watch-record.ts';

/** An acknowledged write the client never delivered. */
export interface LostWrite {
  write: OpRecord;
  /** gap: a later write's event arrived, so this one was skipped; never: nothing after it either. */
  why: 'gap' | 'never';
  /** For a gap: the delivered event that proves the write was skipped. */
  after?: WatchEvent;
}

/** One verdict per watch client; `describe()` is the report text. */
export interface WatchCheck {
  client: string;
  prefix: string;
  resumes: boolean;
  /** No lost (for a resuming client, also at the tail), duplicated, reordered or unexpected event. */
  ok: boolean;
  events: number;
  /** Acknowledged puts under the prefix invoked after the watch started and completed before it was stopped. */
  expected: OpRecord[];
  delivered: number;
  lost: LostWrite[];
  /** Acknowledged writes never delivered by a client that does not resume (no gap before them): no promise broken. */
  notDelivered: OpRecord[];
  duplicated: WatchEvent[];
  reordered: { previous: WatchEvent; event: WatchEvent }[];
  unexpected: { event: WatchEvent; why: string }[];
  started?: WatchLifecycle;
  stopped?: WatchLifecycle;
  /** The first 'terminated' or 'exited' before the test stopped the client: the stream ended by itself. */
  ended?: WatchLifecycle;
  disconnects: WatchLifecycle[];
  reconnects: WatchLifecycle[];
  errors: WatchLifecycle[];
  describe(): string;
}
