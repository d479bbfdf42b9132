// The harness's own share of cluster.start(): from each etcd node's own "ready to serve" log line to
// Faultline's ready for that node, against a bare Node loop (spawn, read the log, GET /health every
// 25 ms) measured the same way in the same run. etcd's own start (0.3 s or
// 2.2 s, whether its first election needs a second round) is printed beside it but counts for nothing.
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { startClock } from '../runner/time/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/records/events.ts';
import type { ClusterSpec, NodeSpec } from '../runner/contract/service.ts';
import { etcdService } from '../services/etcd/definition.ts';
import { BenchError, benchPorts, isMain, splitHalfRatios, spread, tempDir, trimmedMean, type BenchResult } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
/**
 * etcd 3.4 logs this once the member has joined and serves clients (embed/serve.go, after
 * ReadyNotify): "ready to serve client requests" with capnslog, "serving client traffic ..." with
 * zap (Faultline's --logger=zap).
 */
const READY_LINE = /ready to serve client requests|"msg":"serving client traffic/;
const POLL_MS = 25;

/** Per node: ms from its ready line to Faultline's ready; and etcd's own start (spawn to the last ready line). */
interface Round {
  shares: number[];
  etcdMs: number;
}

async function faultlineRound(): Promise<Round> {
  const { dir, remove } = tempDir('start');
  const events = new EventLog(startClock());
  const t0 = events.clock.now();
  const cluster = await StartedCluster.start(etcdService(), { nodes: 3 }, { dir, ports: benchPorts(), events });
  try {
    const lines = cluster.names.map((name) => {
      const line = cluster.logLines(name).find((l) => READY_LINE.test(l.line));
      const ready = events.events.find((e) => e.kind === 'ready' && e.node === name);
      if (!line || !ready) throw new BenchError(`${name} became ready without logging that it serves clients: is this etcd 3.4?`);
      return { line: line.t, ready: ready.t };
    });
    return { shares: lines.map((l) => l.ready - l.line), etcdMs: Math.max(...lines.map((l) => l.line)) - t0 };
  } finally {
    await cluster.destroy();
    remove();
  }
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${port}/health`, { timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(/"health":\s*"true"/.test(body)));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** The bare baseline: the same three etcd commands, their output read line by line, /health polled every 25 ms. */
async function bareRound(): Promise<Round> {
  const { dir, remove } = tempDir('bare');
  const ports = await benchPorts().allocate(6);
  const nodes: NodeSpec[] = [0, 1, 2].map((i) => ({ name: `node-${i + 1}`, index: i + 1, dataDir: path.join(dir, `n${i}`), logFile: '', ports: { client: ports[2 * i]!, peer: ports[2 * i + 1]! } }));
  const spec: ClusterSpec = { token: `bare-${process.pid}-${Date.now()}`, nodes };
  const t0 = performance.now();
  const children = nodes.map((n) => spawn('etcd', etcdService().launch(n, spec).args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  try {
    const timings = await Promise.all(
      nodes.map(async (n, i) => {
        let line: number | undefined;
        const lineSeen = new Promise<void>((resolve) => {
          for (const stream of [children[i]!.stdout!, children[i]!.stderr!]) {
            readline.createInterface({ input: stream }).on('line', (l) => {
              if (line === undefined && READY_LINE.test(l)) (line = performance.now()), resolve();
            });
          }
        });
        const deadline = t0 + 30_000;
        while (!(await healthy(n.ports.client!))) {
          if (performance.now() > deadline) throw new BenchError(`bare baseline: ${n.name} not healthy within 30 s`);
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        const ready = performance.now();
        // The answer and the line race on two file descriptors: a line read just after the answer is a share below zero, kept as measured.
        await Promise.race([lineSeen, new Promise((r) => setTimeout(r, 2000))]);
        if (line === undefined) throw new BenchError(`bare baseline: ${n.name} never logged that it serves clients: is this etcd 3.4?`);
        return { line, ready };
      }),
    );
    return { shares: timings.map((t) => t.ready - t.line), etcdMs: Math.max(...timings.map((t) => t.line)) - t0 };
  } finally {
    await Promise.all(
      children.map((c) => {
        const gone = new Promise((r) => c.once('exit', r));
        process.kill(-c.pid!, 'SIGKILL');
        return gone;
      }),
    );
    remove();
  }
}

/**
 * Interleaves rounds of both so drift hits both equally. The ratio is of trimmed means over every node
 * of every round: a share is mostly the phase of a 25 ms poll (uniform), where a mean is steadier than
 * a median, and the trim drops the rare stall of a loaded machine.
 */
export async function run(): Promise<BenchResult> {
  const ours: Round[] = [];
  const bare: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await bareRound());
    ours.push(await faultlineRound());
  }
  const a = ours.flatMap((r) => r.shares);
  const b = bare.flatMap((r) => r.shares);
  const ratio = trimmedMean(a) / trimmedMean(b);
  const [even, odd] = splitHalfRatios(a, b);
  return {
    name: 'cluster start: harness share (ready line → ready, 3 etcd nodes)',
    ratio,
    goal: '<= 1.10',
    met: ratio <= 1.1,
    detail:
      `trimmed means ${trimmedMean(a).toFixed(1)} vs ${trimmedMean(b).toFixed(1)} ms; faultline ${spread(a)}; bare loop (${POLL_MS} ms /health poll) ${spread(b)}; split halves ${even.toFixed(3)} / ${odd.toFixed(3)}; ` +
      `etcd's own start (not counted) faultline ${spread(ours.map((r) => r.etcdMs), 0)}, bare ${spread(bare.map((r) => r.etcdMs), 0)}; ${ROUNDS} interleaved rounds`,
  };
}

if (isMain(import.meta.url)) console.log(await run());
