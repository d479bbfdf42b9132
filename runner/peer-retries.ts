// A peer link's retries from both sides: the dials its gate saw, and the dialler's own log lines.
// Why: the seed's evidence for S1 is the servers' retry timing; the gate and the log must tell one story.
import type { ConnectionRecord } from './proxy/index.ts';
import { timedLines, type TimedLine } from './log-times.ts';
import type { Run } from './run.ts';
import type { PeerRetryObservation } from './matchers/peer-retry-observation.ts';

export type { PeerAttempt, PeerRetryObservation } from './matchers/peer-retry-observation.ts';

/** "msgapp" from "GET /raft/stream/msgapp/8e9e…"; the path's last named segment otherwise. */
export function seriesOf(request: string | undefined): string {
  if (!request) return 'unknown';
  const parts = request.split(' ')[1]?.split('/').filter(Boolean) ?? [];
  const stream = parts.indexOf('stream');
  return stream >= 0 && parts[stream + 1] ? parts[stream + 1]! : (parts.at(-2) ?? parts.at(-1) ?? 'unknown');
}

function outcomeOf(c: ConnectionRecord): string {
  if (c.closedBy === 'refused-by-fault') return 'reset at once (link cut)';
  if (c.closedBy) return `${c.closedBy}${c.closeDetail ? ` (${c.closeDetail})` : ''} after ${Math.round((c.closedAt ?? c.acceptedAt) - c.acceptedAt)}ms`;
  return `open, ${c.bytesToUpstream} B sent / ${c.bytesToClient} B received`;
}

/** Observes link `from` → `to` within [`fromMs`, `untilMs`]: the gate's dials (unless `logOnly`) and the dialler's retry lines to `to`. */
export function observePeerRetries(run: Run, from: string, to: string, window: { fromMs: number; untilMs?: number }, fromWhat: string, logOnly = false): PeerRetryObservation {
  const { fromMs, untilMs = Infinity } = window;
  const records = logOnly ? undefined : run.network.link(from, to).records;
  const dials = records?.connections
    .filter((c) => c.acceptedAt >= fromMs && c.acceptedAt <= untilMs)
    .map((c) => ({ t: c.acceptedAt, series: seriesOf(c.request), outcome: outcomeOf(c) }));
  const cluster = run.clusterOfNode(from);
  // A dependent server (etcd's grpc-proxy) writes its own log, not the members': their patterns do not apply.
  const logs = cluster.dependentDefinition(from) ? undefined : cluster.service.logs;
  const { peers } = cluster.service;
  const base: PeerRetryObservation = { link: `${from} → ${to}`, fromMs, fromWhat, ...(dials ? { dials } : {}), ...(logs?.standIn ? { standIn: logs.standIn } : {}) };
  if (!logs?.retry || !peers) return base;
  // A store's link to its PD ends in another cluster.
  const target = run.clusterOfNode(to).nodeSpec(to);
  const port = String(target.advertised?.[peers.port] ?? target.ports[peers.port]);
  const lines: TimedLine[] = timedLines(cluster.service.name, logs, 'retry', logs.retry, cluster.nodeSpec(from).logFile, run.clock);
  const logLines = lines
    .filter((l) => l.t >= fromMs && l.t <= untilMs && (l.groups.port === undefined || l.groups.port === port))
    .map((l) => ({ t: l.t, series: l.groups.series ?? 'all', outcome: 'logged', line: l.line }));
  return { ...base, logLines };
}
