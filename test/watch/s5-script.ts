// Seed Scenario 5 (watch stream recovery) as one script shared by the three clients' tests: events before
// the kill, kill -9 of the watched member, writes while it is down, restart, writes after; then measure.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_POLICY } from '../../dsl/policy.ts';
import type { StartedCluster } from '../../runner/cluster.ts';
import type { RunFactory } from '../../runner/fixture.ts';
import type { OpRecord } from '../../runner/records/history.ts';
import type { Run } from '../../runner/run.ts';
import { checkWatchGuarantees, type WatchCheck } from '../../runner/watch/watch-guarantees.ts';
import type { WatchClientHandle, WatchRecording } from '../../runner/watch/watch-record.ts';
import { waitForRecording } from '../../runner/watch/watch-recorder.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import { call, etcdStubs } from '../../services/etcd/grpc.ts';

export const PREFIX = 's5/';

/** A 3-member etcd cluster with a leader. */
export async function s5Cluster(faultline: RunFactory): Promise<{ run: Run; cluster: StartedCluster }> {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  await cluster.leader(5000);
  return { run, cluster };
}

/** The store's current revision as `node` reports it: a watch from revision + 1 misses nothing written later. */
export async function currentRevision(cluster: StartedCluster, node: string): Promise<number> {
  const stubs = etcdStubs(cluster.endpoint(node).address);
  try {
    const res = await call<{ header: { revision: string } }>(stubs.kv, 'Range', { key: Buffer.from(PREFIX) }, 2000);
    return Number(res.header.revision);
  } finally {
    stubs.close();
  }
}

/** `n` sequential puts of unique values under the prefix, through the given nodes with the seed's policy. */
async function writePhase(run: Run, cluster: StartedCluster, phase: string, n: number, via: string[]): Promise<OpRecord[]> {
  const out: OpRecord[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(await run.execute({ op: 'put', key: `${PREFIX}${phase}`, value: `${phase}-${i}` }, 'writer', via.map((v) => cluster.endpoint(v)), SEED_POLICY));
  }
  return out;
}

const delivered = (r: WatchRecording, ops: OpRecord[]) => ops.every((op) => op.outcome !== 'ok' || r.events.some((e) => e.key === op.key && e.value === op.value));

/** What one run of the script saw; times are ms. */
export interface S5Measurement {
  client: string;
  watched: string;
  watchedWasLeader: boolean;
  /** From the kill until the member is started again (or the outage window ends): kind@ms-after-kill detail. */
  duringOutage: string[];
  restartTookMs?: number;
  /** From the member ready again (or the window's end) until the client was stopped: kind@ms-after detail. */
  afterRestart: string[];
  /** When the last write made while the member was down arrived, ms after the kill (undefined: never). */
  downWritesArrivedAfterKillMs?: number;
  /** The same, ms after the member was ready again (negative: it arrived before, through another member). */
  downWritesArrivedAfterReadyMs?: number;
  /** Acknowledged writes of all phases, e.g. "9/9". */
  writesOk: string;
  check: WatchCheck;
}

/** How the script runs. */
export interface S5Options {
  /** The member the client watches through; it is the one killed (default node-1). */
  watched?: string;
  /** How long to wait for the writes made while the member was down, and after (ms). */
  deliveryTimeoutMs: number;
  /** The measuring window with the member down, after the writes (default 2000 ms). */
  observeMs?: number;
  /** Start the member again after the window (default true). */
  restart?: boolean;
  /** Called at the end of the window, before the restart: for a snapshot of the client's state. */
  during?: () => void;
}

/** Runs the scenario against a started watch, stops the client, and returns the measurements. */
export async function runS5(run: Run, cluster: StartedCluster, handle: WatchClientHandle, options: S5Options): Promise<S5Measurement> {
  const watched = options.watched ?? 'node-1';
  const others = cluster.names.filter((n) => n !== watched);
  const watchedWasLeader = (await cluster.leader(5000)) === watched;
  const before = await writePhase(run, cluster, 'before', 3, others);
  await waitForRecording(handle.recording, (r) => delivered(r, before), 5000);

  const killAt = run.clock.now();
  await cluster.kill(watched);
  const down = await writePhase(run, cluster, 'down', 3, others);
  await sleep(options.observeMs ?? 2000); // a measuring window: what does the client do while its member is gone?
  options.during?.();
  const windowEnd = run.clock.now();
  const since = (from: number, to = Infinity) => handle.recording.lifecycle.filter((l) => l.t >= from && l.t < to).map((l) => `${l.kind}@${Math.round(l.t - from)}${l.detail ? ` ${l.detail.slice(0, 100)}` : ''}`);
  const duringOutage = since(killAt);
  if (options.restart ?? true) await cluster.startNode(watched);
  const readyAt = run.clock.now();
  const after = await writePhase(run, cluster, 'after', 3, others);
  await waitForRecording(handle.recording, (r) => delivered(r, [...down, ...after]), options.deliveryTimeoutMs);
  const afterRestart = since(readyAt);
  await handle.stop();

  const all = [...before, ...down, ...after];
  const arrived = lastArrival(handle.recording, down);
  return {
    client: handle.name,
    watched,
    watchedWasLeader,
    duringOutage,
    ...(options.restart ?? true ? { restartTookMs: Math.round(readyAt - windowEnd) } : {}),
    afterRestart,
    downWritesArrivedAfterKillMs: arrived === undefined ? undefined : Math.round(arrived - killAt),
    downWritesArrivedAfterReadyMs: arrived === undefined ? undefined : Math.round(arrived - readyAt),
    writesOk: `${all.filter((o) => o.outcome === 'ok').length}/${all.length}`,
    check: checkWatchGuarantees(handle.recording, run.history, { prefix: PREFIX, resumes: handle.resumes }),
  };
}

/** When the last of `ops` arrived, or undefined when one never did. */
function lastArrival(r: WatchRecording, ops: OpRecord[]): number | undefined {
  const t = Math.max(...ops.map((op) => r.events.find((e) => e.key === op.key && e.value === op.value)?.t ?? Infinity));
  return Number.isFinite(t) ? t : undefined;
}

/** Prints one run's measurements for the S5 spec's author (the lead): one JSON line plus the check's text. */
export function printMeasurement(m: S5Measurement): void {
  const { check, ...rest } = m;
  const counts = { events: check.events, delivered: `${check.delivered}/${check.expected.length}`, lost: check.lost.length, duplicated: check.duplicated.length, reordered: check.reordered.length, unexpected: check.unexpected.length };
  console.log(`[S5 measurement] ${JSON.stringify({ ...rest, ...counts })}\n${check.describe()}`);
}

/** This process's established connections to the cluster's client ports, socket inode → member (from /proc). */
export function memberConnections(cluster: StartedCluster): Map<string, string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/self/fd/${fd}`));
    if (m) inodes.add(m[1]!);
  }
  const ports = new Map(cluster.names.map((n) => [cluster.nodeSpec(n).ports.client!, n]));
  const found = new Map<string, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const remotePort = parseInt(f[2]?.split(':')[1] ?? '', 16);
      if (f[3] === '01' && inodes.has(f[9] ?? '') && ports.has(remotePort)) found.set(f[9]!, ports.get(remotePort)!);
    }
  }
  return found;
}

/** The members of connections opened since `before` was taken: which host a library client picked. */
export function newMemberConnections(cluster: StartedCluster, before: Map<string, string>): string[] {
  return [...new Set([...memberConnections(cluster)].filter(([inode]) => !before.has(inode)).map(([, member]) => member))];
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}

/** The values of the first events, for "events before the kill arrive in order". */
export function firstEvents(r: WatchRecording, n: number): { values: (string | undefined)[]; increasing: boolean } {
  const first = r.events.slice(0, n);
  return { values: first.map((e) => e.value), increasing: first.every((e, i) => i === 0 || e.revision > first[i - 1]!.revision) };
}
