// Peer links' cost, each against a baseline measured in the same run: (1) the latency a gate-fed link
// adds to a small message (goal ≤ 100 µs at p50); (2) the start of a 3-node etcd cluster with all 6
// directed peer links through gates against one without (goal ≤ 1.2×), timed from spawn to each node's
// own "serving" log line, over many interleaved rounds (etcd's start is bimodal: one or two elections).
import fs from 'node:fs';
import net from 'node:net';
import { startClock, type Clock } from '../runner/time/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/records/events.ts';
import { RunNetwork } from '../runner/network.ts';
import { LinkHost } from '../runner/proxy/index.ts';
import { etcdService } from '../services/etcd/definition.ts';

const etcdLogs = etcdService().logs!;
import { lineWallTime } from '../runner/log-times.ts';
import { BenchError, benchPorts, isMain, median, quantile, spread, tempDir, trimmedMean, type BenchResult } from './harness.ts';

const MESSAGES = Number(process.env.BENCH_PEER_MESSAGES ?? 2000);
const LATENCY_ROUNDS = Number(process.env.BENCH_PEER_LATENCY_ROUNDS ?? 6);
const START_ROUNDS = Number(process.env.BENCH_PEER_START_ROUNDS ?? 16);
const READY_LINE = /"msg":"serving client traffic/;
/** A start this slow waited on etcd's bootstrap /members timeout (1 s) at least once. */
const SLOW_START_MS = 1500;

/** Round trips of a 64-byte message on one connection to `port`, in microseconds each. */
async function pingPong(port: number, n: number): Promise<number[]> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const message = Buffer.alloc(64, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        let got = 0;
        const onData = (d: Buffer) => {
          got += d.length;
          if (got >= message.length) {
            socket.off('data', onData);
            resolve();
          }
        };
        socket.on('data', onData);
        socket.write(message);
      });
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  } finally {
    socket.destroy();
  }
  return times;
}

/** How long the link host's worker took to start (once per run that uses peer links). */
let hostStartMs = 0;

/** (1) A small message's round trip: direct to an echo server, and through a gate and its directed link. */
async function latency(): Promise<BenchResult> {
  const echo = net.createServer({ noDelay: true }, (s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoPort = (echo.address() as net.AddressInfo).port;
  const clock: Clock = startClock();
  // The gate and its link as a run has them: in the link host's worker thread.
  const t0 = performance.now();
  const host = await LinkHost.start(clock);
  hostStartMs = performance.now() - t0;
  const gate = await host.gate({ node: 'echo', port: 0, target: { host: '127.0.0.1', port: echoPort }, dialers: [], unknownLink: 'unknown→echo' });
  const direct: number[] = [];
  const gated: number[] = [];
  try {
    for (let r = 0; r < LATENCY_ROUNDS; r++) {
      direct.push(...(await pingPong(echoPort, MESSAGES)));
      gated.push(...(await pingPong(gate.port, MESSAGES)));
    }
  } finally {
    await host.close();
    await new Promise((r) => echo.close(r));
  }
  const added = median(gated) - median(direct);
  return {
    name: 'peer link: added round-trip latency of a 64-byte message (p50)',
    ratio: median(gated) / median(direct),
    goal: 'added ≤ 100 µs at p50',
    met: added <= 100,
    detail: `p50 ${median(direct).toFixed(1)} → ${median(gated).toFixed(1)} µs (added ${added.toFixed(1)} µs); p99 ${quantile(direct, 0.99).toFixed(1)} → ${quantile(gated, 0.99).toFixed(1)} µs; ${LATENCY_ROUNDS} interleaved rounds × ${MESSAGES} round trips; gate and link in the link host's worker thread (started in ${hostStartMs.toFixed(0)} ms, once per run)`,
  };
}

/** One cluster start; returns ms from the first spawn to each node's own "serving client traffic" line. */
async function startRound(peerLinks: boolean): Promise<number[]> {
  const { dir, remove } = tempDir(peerLinks ? 'peers' : 'plain');
  const events = new EventLog(startClock());
  const network = new RunNetwork(events, events.clock);
  const port = 'peer';
  let cluster: StartedCluster | undefined;
  try {
    cluster = await StartedCluster.start(etcdService(), { nodes: 3, perNodeUsers: true, ...(peerLinks ? { peerGates: { port, start: (spec) => network.peerGates(spec, port) } } : {}) }, { dir, ports: benchPorts(), events });
    // etcd's own timestamps, not when this process read the line: the bench's event loop must not count.
    const origin = Date.parse(events.clock.originWallTime);
    const firstSpawn = origin + Math.min(...events.events.filter((e) => e.kind === 'spawn').map((e) => e.t));
    const stamp = new RegExp(etcdLogs.timestamp.pattern);
    return cluster.names.map((name) => {
      const line = cluster!.logLines(name).find((l) => READY_LINE.test(l.line));
      const at = line && lineWallTime(etcdLogs, stamp, line.line);
      if (at === undefined) throw new BenchError(`${name} became ready without a timestamped "serving client traffic" line: is this etcd 3.4 with --logger=zap?`);
      return at - firstSpawn;
    });
  } finally {
    await cluster?.destroy();
    await network.close();
    for (const d of cluster?.tempDirs ?? []) fs.rmSync(d.path, { recursive: true, force: true });
    remove();
  }
}

/** (2) Start with all 6 directed peer links gated vs without, interleaved. */
async function start(): Promise<BenchResult> {
  if (process.getuid?.() !== 0) throw new BenchError('peer links need nodes under their own uids: run the bench as root.');
  const plain: number[] = [];
  const gated: number[] = [];
  for (let r = 0; r < START_ROUNDS; r++) {
    plain.push(...(await startRound(false)));
    gated.push(...(await startRound(true)));
  }
  const ratio = median(gated) / median(plain);
  const fast = (xs: number[]) => `${Math.round((100 * xs.filter((x) => x < 1000).length) / xs.length)}% under 1 s`;
  // etcd's bootstrap asks each peer for /members with a 1 s timeout: a start that waited on it is a second slower.
  const hung = (xs: number[]) => xs.filter((x) => x >= SLOW_START_MS);
  const quick = (xs: number[]) => xs.filter((x) => x < SLOW_START_MS);
  const modes = `starts without etcd's 1 s bootstrap wait (< ${SLOW_START_MS} ms): gated ${quick(gated).length}/${gated.length} median ${median(quick(gated)).toFixed(0)} ms, plain ${quick(plain).length}/${plain.length} median ${median(quick(plain)).toFixed(0)} ms (${(median(quick(gated)) / median(quick(plain))).toFixed(2)}×); with it: gated ${hung(gated).length}, plain ${hung(plain).length}`;
  return {
    name: 'peer links: 3-node etcd start, all 6 directed links gated vs none (spawn → each node\'s serving line by its own timestamp, median)',
    ratio,
    goal: '<= 1.20',
    met: ratio <= 1.2,
    detail: `gated ${spread(gated, 0)}; plain ${spread(plain, 0)}; trimmed means ${trimmedMean(gated).toFixed(0)} vs ${trimmedMean(plain).toFixed(0)} ms; bimodal start: gated ${fast(gated)}, plain ${fast(plain)}; ${modes}; ${START_ROUNDS} interleaved rounds`,
  };
}

/** Both peer-link benches. */
export async function run(): Promise<BenchResult[]> {
  return [await latency(), await start()];
}

if (isMain(import.meta.url)) console.log(await run());
