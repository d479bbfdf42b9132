// toHaveLeader: a leader emerged among the running nodes within the deadline.
import { formatMs } from '../../dsl/duration.ts';

/** What the runner observed while waiting for a leader. */
export interface LeaderObservation {
  leader?: string;
  withinMs: number;
  tookMs: number;
  states: Record<string, string>;
}

/** Passes when a leader was found in time. */
export function toHaveLeader(received: LeaderObservation) {
  const pass = received.leader !== undefined;
  const states = Object.entries(received.states).map(([n, s]) => `${n} ${s}`).join(', ');
  return {
    pass,
    name: 'toHaveLeader',
    expected: `a leader within ${formatMs(received.withinMs)}`,
    actual: received.leader ?? 'no leader',
    message: () =>
      pass
        ? `Expected no leader, but ${received.leader} leads (found after ${formatMs(received.tookMs)}).`
        : `Expected a leader within ${formatMs(received.withinMs)}, but no running node reported one (nodes: ${states}).`,
  };
}
