// toHaveLeader: a leader emerged among the running nodes within the deadline, and when it was elected.
import { formatMs } from '../../dsl/duration.ts';

/** When the leader was elected: by its own log line (at the line's time) or, without one, by the poll that saw it. */
export interface Election {
  t: number;
  source: 'log' | 'poll';
  term?: string;
}

/** What the runner observed while waiting for a leader. */
export interface LeaderObservation {
  leader?: string;
  withinMs: number;
  tookMs: number;
  states: Record<string, string>;
  /** The leader's election, when known. */
  elected?: Election;
  /** When the poll that answered ran, on the run's clock. */
  seenAt?: number;
}

/** "elected at 1.74s (term 3, by its own log line; the poll saw it at 3.55s)" — or by the poll, when no line told. */
export function describeElection(o: Pick<LeaderObservation, 'elected' | 'seenAt'>): string {
  const e = o.elected;
  if (!e) return 'election time unknown';
  const term = e.term !== undefined ? `term ${e.term}, ` : '';
  if (e.source === 'poll') return `first seen at ${formatMs(e.t)} (${term}by a status poll: the service's log says nothing the definition can read)`;
  return `elected at ${formatMs(e.t)} (${term}by its own log line${o.seenAt !== undefined ? `; the poll saw it at ${formatMs(o.seenAt)}` : ''})`;
}

/** Passes when a leader was found in time. */
export function toHaveLeader(received: LeaderObservation) {
  const pass = received.leader !== undefined;
  const states = Object.entries(received.states).map(([n, s]) => `${n} ${s}`).join(', ');
  return {
    pass,
    name: 'toHaveLeader',
    expected: `a leader within ${formatMs(received.withinMs)}`,
    actual: received.leader ? `${received.leader}, ${describeElection(received)}` : 'no leader',
    message: () =>
      pass
        ? `Expected no leader, but ${received.leader} leads: ${describeElection(received)}.`
        : `Expected a leader within ${formatMs(received.withinMs)}, but no running node reported one (nodes: ${states}).`,
  };
}
