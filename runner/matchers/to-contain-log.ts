// toContain on a node's log: a matching line within a window that starts at the last fault.
import { formatMs } from '../../dsl/duration.ts';
import type { LogLine } from '../process/node-process.ts';

/** What the runner saw while waiting for a log line. */
export interface LogObservation {
  node: string;
  pattern: string;
  /** Window on the run's clock: from the last fault (or the run's start) to from + within. */
  fromMs: number;
  withinMs: number;
  fromWhat: string;
  matches: LogLine[];
  lastLines: LogLine[];
}

/** Passes when a line matched inside the window; the message names pattern, node, window and last lines. */
export function toContainLogLine(received: LogObservation) {
  const first = received.matches[0];
  const pass = first !== undefined;
  const window = `${formatMs(received.fromMs)}–${formatMs(received.fromMs + received.withinMs)} (within ${formatMs(received.withinMs)} of ${received.fromWhat})`;
  return {
    pass,
    name: 'toContain',
    expected: `a line matching ${received.pattern} in ${window}`,
    actual: first ? `+${formatMs(first.t - received.fromMs)}: ${first.line}` : 'no matching line',
    message: () =>
      pass
        ? `Expected the log of ${received.node} not to contain ${received.pattern} in ${window}, but at +${formatMs(first!.t - received.fromMs)}:\n  ${first!.line}`
        : `Expected the log of ${received.node} to contain ${received.pattern} in ${window}; no line matched. Last lines seen:\n${received.lastLines.map((l) => `  ${formatMs(l.t)}: ${l.line}`).join('\n')}`,
  };
}
