// Appends to a WatchRecording with the run's clock, so each client wrapper only translates its own events.
import type { Clock } from '../time/clock.ts';
import { round } from '../records/events.ts';
import { pollUntil } from '../time/poll.ts';
import type { WatchEvent, WatchLifecycle, WatchLifecycleKind, WatchRecording } from './watch-record.ts';

/** Writes one client's recording; `waitFor` lets a test wait for what the client has seen, not sleep. */
export class WatchRecorder {
  readonly recording: WatchRecording;

  constructor(
    client: string,
    private readonly clock: Clock,
  ) {
    this.recording = { client, events: [], lifecycle: [] };
  }

  /** Records a delivered event now. */
  event(e: Omit<WatchEvent, 't'>): void {
    this.recording.events.push({ t: round(this.clock.now()), ...e });
  }

  /** Records a lifecycle change now and returns it. */
  lifecycle(kind: WatchLifecycleKind, detail?: string): WatchLifecycle {
    const record: WatchLifecycle = { t: round(this.clock.now()), kind, ...(detail === undefined ? {} : { detail }) };
    this.recording.lifecycle.push(record);
    return record;
  }

  /** True once a lifecycle record of this kind exists. */
  has(kind: WatchLifecycleKind): boolean {
    return this.recording.lifecycle.some((l) => l.kind === kind);
  }
}

/**
 * Waits until `predicate` holds for the recording; resolves with how long it took, or undefined on timeout.
 * @example
 * await waitForRecording(handle.recording, (r) => r.events.length >= 3, 5000);
 */
export async function waitForRecording(recording: WatchRecording, predicate: (r: WatchRecording) => boolean, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  const ok = await pollUntil(async () => (predicate(recording) ? true : undefined), timeoutMs, [10, 25, 50, 100]);
  return ok ? performance.now() - started : undefined;
}
