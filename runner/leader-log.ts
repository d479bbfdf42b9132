// Leader changes in the servers' own words: each "became leader" line, at the line's own time.
// Why: a status poll sees a new leader only when it happens to ask; the server's log says when it was elected.
import type { Clock } from './time/clock.ts';
import { timedLines } from './log-times.ts';
import type { NodeSpec, ServiceDefinition } from './contract/service.ts';

/** One election as a member logged it. */
export interface LoggedLeader {
  node: string;
  /** The line's own time on the run's clock. */
  t: number;
  term?: string;
  line: string;
}

/** Every "became leader" line of a cluster's members, oldest first; empty when the definition has no leader pattern. */
export function loggedLeaders(service: ServiceDefinition, nodes: readonly NodeSpec[], clock: Clock): LoggedLeader[] {
  const logs = service.logs;
  if (!logs?.leader) return [];
  return nodes
    .flatMap((n) => timedLines(service.name, logs, 'leader', logs.leader!, n.logFile, clock).map((l) => ({ node: n.name, t: l.t, term: l.groups.term, line: l.line })))
    .sort((a, b) => a.t - b.t);
}
