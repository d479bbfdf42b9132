// What a timeline is drawn from: everything a run already records, nothing read from disk.
import type { RunEvent } from '../../runner/records/events.ts';
import type { OpRecord } from '../../runner/records/history.ts';

/** The checker's answer as the header badge shows it; "unknown" is grey, never green. */
export interface TimelineVerdict {
  text: string;
  ok: boolean | 'unknown';
}

/** One test's run: its nodes, event record, client history, verdict, and the right edge of the axis (ms). */
export interface TimelineInput {
  title: string;
  nodes: string[];
  events: RunEvent[];
  history: OpRecord[];
  verdict?: TimelineVerdict;
  end: number;
}
