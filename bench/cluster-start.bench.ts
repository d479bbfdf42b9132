// cluster.start() of 3 etcd nodes until ready, against the raw baseline: the same three etcd
// commands started from a shell script, /health polled with curl. Goal: ratio <= 1.10.
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import { startClock } from '../runner/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/events.ts';
import type { ClusterSpec, NodeSpec } from '../runner/service.ts';
import { etcdArgs, etcdService } from '../services/etcd/definition.ts';
import { benchPorts, isMain, median, quantile, tempDir, type BenchResult } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);

async function faultlineStart(): Promise<number> {
  const { dir, remove } = tempDir('start');
  const events = new EventLog(startClock());
  const t0 = performance.now();
  const cluster = await StartedCluster.start(etcdService(), { nodes: 3 }, { dir, ports: benchPorts(), events });
  const ms = performance.now() - t0;
  await cluster.destroy();
  remove();
  return ms;
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http.get(`http://127.0.0.1:${port}/health`, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(/"health":\s*"true"/.test(body)));
    }).on('error', () => resolve(false));
  });
}

async function rawStart(): Promise<number> {
  const { dir, remove } = tempDir('raw');
  const ports = await benchPorts().allocate(6);
  const nodes: NodeSpec[] = [0, 1, 2].map((i) => ({ name: `node-${i + 1}`, index: i + 1, dataDir: path.join(dir, `n${i}`), logFile: '', ports: { client: ports[2 * i]!, peer: ports[2 * i + 1]! } }));
  const spec: ClusterSpec = { token: `raw-${process.pid}-${Date.now()}`, nodes };
  const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
  const lines = nodes.map((n) => `etcd ${etcdArgs(n, spec).map(quote).join(' ')} >/dev/null 2>&1 &`);
  const poll = nodes.map((n) => `until curl -sf http://127.0.0.1:${n.ports.client}/health | grep -q '"true"'; do sleep 0.025; done`);
  const script = [...lines, ...poll, 'echo ready', 'wait'].join('\n');
  const t0 = performance.now();
  const sub = execa('bash', ['-c', script], { detached: true, reject: false, buffer: false, stdin: 'ignore' });
  await new Promise<void>((resolve) => sub.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  const ms = performance.now() - t0;
  for (const n of nodes) if (!(await healthy(n.ports.client!))) throw new Error(`raw baseline: ${n.name} not healthy`);
  process.kill(-sub.pid!, 'SIGKILL');
  await sub;
  remove();
  return ms;
}

/** Interleaves rounds of both so drift hits both equally. */
export async function run(): Promise<BenchResult> {
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(await rawStart());
    ours.push(await faultlineStart());
  }
  // etcd's own start is bimodal (about 0.4 s or 2.2 s: whether the first election needs a second
  // round), which swamps a median over few rounds; the lower quartile compares like with like.
  const ratio = quantile(ours, 0.25) / quantile(raw, 0.25);
  return {
    name: 'cluster start (3 etcd nodes to ready)',
    ratio,
    goal: '<= 1.10',
    met: ratio <= 1.1,
    detail: `lower quartile faultline ${quantile(ours, 0.25).toFixed(0)} ms vs raw shell+curl ${quantile(raw, 0.25).toFixed(0)} ms; medians ${median(ours).toFixed(0)} vs ${median(raw).toFixed(0)} ms; ${ROUNDS} interleaved rounds (faultline: ${ours.map((x) => x.toFixed(0)).join(', ')}; raw: ${raw.map((x) => x.toFixed(0)).join(', ')})`,
  };
}

if (isMain(import.meta.url)) console.log(await run());
