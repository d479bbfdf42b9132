// From the kill() verb to the process reaped, against a raw kill -9 + waitpid of the same etcd.
// Goal: median <= 5 ms added.
import { spawn } from 'node:child_process';
import { startClock } from '../runner/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/events.ts';
import { etcdArgs, etcdService, probeHealth } from '../services/etcd/definition.ts';
import { benchPorts, isMain, median, tempDir, type BenchResult } from './harness.ts';
import path from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function ours(): Promise<number> {
  const { dir, remove } = tempDir('kill');
  const cluster = await StartedCluster.start(etcdService(), { nodes: 1 }, { dir, ports: benchPorts(), events: new EventLog(startClock()) });
  const t0 = performance.now();
  await cluster.kill('node-1');
  const ms = performance.now() - t0;
  await cluster.destroy();
  remove();
  return ms;
}

async function raw(): Promise<number> {
  const { dir, remove } = tempDir('rawkill');
  const [client, peer] = await benchPorts().allocate(2);
  const node = { name: 'node-1', index: 1, dataDir: path.join(dir, 'n'), logFile: '', ports: { client: client!, peer: peer! } };
  const child = spawn('etcd', etcdArgs(node, { token: `raw-${Date.now()}`, nodes: [node] }), { stdio: 'ignore', detached: true });
  while (!(await probeHealth(client!)).ready) await new Promise((r) => setTimeout(r, 25));
  const exited = new Promise((r) => child.once('exit', r));
  const t0 = performance.now();
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const ms = performance.now() - t0;
  remove();
  return ms;
}

export async function run(): Promise<BenchResult> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    b.push(await raw());
    a.push(await ours());
  }
  const added = median(a) - median(b);
  return {
    name: 'fault latency (kill() to reaped)',
    ratio: median(a) / median(b),
    goal: 'median added <= 5 ms',
    met: added <= 5,
    detail: `median kill() ${median(a).toFixed(2)} ms vs raw kill -9 + waitpid ${median(b).toFixed(2)} ms (added ${added.toFixed(2)} ms) over ${ROUNDS} rounds`,
  };
}

if (isMain(import.meta.url)) console.log(await run());
