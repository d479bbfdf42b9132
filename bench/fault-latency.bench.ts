// The harness's own share of a fault: from the kill() call to the process gone (reaped), against a
// bare kill -9 of the process group + waitpid of the same etcd, in the same run. Each side keeps one
// single-node etcd and restarts it on its data dir between rounds, so many rounds stay cheap.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startClock } from '../runner/time/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/records/events.ts';
import type { ClusterSpec, NodeSpec } from '../runner/contract/service.ts';
import { etcdService } from '../services/etcd/definition.ts';
import { BenchError, benchPorts, isMain, median, splitHalfRatios, spread, tempDir, trimmedMean, type BenchResult } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);

/** A bare etcd: spawned in its own group, killed with kill -9 of the group, reaped by waiting for 'exit'. */
class BareNode {
  private child?: ChildProcess;
  constructor(
    private readonly node: NodeSpec,
    private readonly cluster: ClusterSpec,
  ) {}

  async start(restart: boolean): Promise<void> {
    this.child = spawn('etcd', etcdService().launch(this.node, this.cluster, { restart }).args, { stdio: 'ignore', detached: true });
    const deadline = performance.now() + 30_000;
    while (!(await etcdService().probe(this.node)).ready) {
      if (performance.now() > deadline) throw new BenchError(`bare baseline: etcd on ${this.node.ports.client} not healthy within 30 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** ms from the signal to the exit. */
  async kill(): Promise<number> {
    const child = this.child!;
    const exited = new Promise((r) => child.once('exit', r));
    const t0 = performance.now();
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    return performance.now() - t0;
  }
}

export async function run(): Promise<BenchResult> {
  const ours = tempDir('kill');
  const bare = tempDir('barekill');
  const cluster = await StartedCluster.start(etcdService(), { nodes: 1 }, { dir: ours.dir, ports: benchPorts(), events: new EventLog(startClock()) });
  const [client, peer] = await benchPorts().allocate(2);
  const node: NodeSpec = { name: 'node-1', index: 1, dataDir: path.join(bare.dir, 'n'), logFile: '', ports: { client: client!, peer: peer! } };
  const baseline = new BareNode(node, { token: `bare-${process.pid}-${Date.now()}`, nodes: [node] });
  const a: number[] = [];
  const b: number[] = [];
  try {
    await baseline.start(false);
    for (let i = 0; i < ROUNDS; i++) {
      b.push(await baseline.kill());
      const t0 = performance.now();
      await cluster.kill('node-1');
      a.push(performance.now() - t0);
      await baseline.start(true);
      await cluster.startNode('node-1');
    }
  } finally {
    await baseline.kill().catch(() => undefined);
    await cluster.destroy();
    ours.remove();
    bare.remove();
  }
  const added = trimmedMean(a) - trimmedMean(b);
  const [even, odd] = splitHalfRatios(a, b);
  return {
    name: 'fault latency (kill() to reaped)',
    ratio: trimmedMean(a) / trimmedMean(b),
    goal: 'added <= 5 ms',
    met: added <= 5,
    detail: `trimmed means ${trimmedMean(a).toFixed(2)} vs ${trimmedMean(b).toFixed(2)} ms (added ${added.toFixed(2)} ms, medians ${median(a).toFixed(2)} vs ${median(b).toFixed(2)}); kill() ${spread(a, 2)}; bare kill -9 + waitpid ${spread(b, 2)}; split halves ${even.toFixed(3)} / ${odd.toFixed(3)}; ${ROUNDS} interleaved rounds`,
  };
}

if (isMain(import.meta.url)) console.log(await run());
