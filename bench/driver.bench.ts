// What a driver call adds over the library call it wraps: sequential puts and gets through etcd's
// shipped etcd3 driver, opened the way a run opens it (runner/subjects openClientUnderTest with the
// shipped configuration, its log file included), against the same etcd3 library called directly in this
// process with the options the driver gives it (its hosts, its per-host fault policy, its per-try
// deadline). One single-node etcd on loopback serves both; rounds interleave so drift hits both sides.
// Goal: the driver adds <= 1 ms at p50. Driver start-up (spawn, library load, init) is a one-time cost,
// reported separately.
import { Etcd3 } from 'etcd3';
import { Host } from 'etcd3/lib/connection-pool.js';
import { startClock } from '../runner/time/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/records/events.ts';
import type { KvOperation } from '../runner/contract/service.ts';
import { openClientUnderTest } from '../runner/subjects/index.ts';
import { etcdService } from '../services/etcd/definition.ts';
import { BenchError, benchPorts, isMain, median, quantile, spread, tempDir, type BenchResult } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
/** Calls per side per round: half puts, half gets, alternating. */
const CALLS = 2 * Math.round(Number(process.env.BENCH_CALLS ?? 100) / 2);
const WARMUP = 200;
/** The driver's per-try deadline (services/etcd/etcd3-driver.mjs, ETCD3_CALL_TIMEOUT_MS default). */
const CALL_TIMEOUT_MS = 5000;

function opAt(side: string, round: number, i: number): KvOperation {
  const key = `${side}/r${round}/k${i % 10}`;
  return i % 2 === 0 ? { op: 'put', key, value: `v${i}` } : { op: 'get', key };
}

export async function run(): Promise<BenchResult> {
  const tmp = tempDir('driver');
  const clock = startClock();
  const cluster = await StartedCluster.start(etcdService(), { nodes: 1 }, { dir: tmp.dir, ports: benchPorts(), events: new EventLog(clock) });
  const endpoints = [cluster.endpoint('node-1')];
  const config = etcdService(process.env).clientsUnderTest!.etcd3;
  if (!config || config.kind !== 'driver') throw new BenchError('etcd ships no "etcd3" driver client in services/etcd/etcd.service.json');
  const driver = openClientUnderTest(config, { dir: tmp.dir, clock });
  const lib = new Etcd3({
    hosts: endpoints.map((e) => e.address),
    // The driver's per-host policy, unobserved: Host builds it without touching the credentials (the driver passes none either).
    faultHandling: { host: (h) => new Host(h, undefined as unknown as ConstructorParameters<typeof Host>[1]).faultHandling },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + CALL_TIMEOUT_MS }),
  });
  const viaLib = async (op: KvOperation) => {
    if (op.op === 'put') await lib.put(op.key).value(op.value ?? '').exec();
    else await lib.get(op.key).string();
  };
  const viaDriver = async (op: KvOperation) => {
    const r = await driver.run(op, endpoints, clock);
    if (r.outcome !== 'ok') throw new BenchError(`the etcd3 driver failed a healthy ${op.op} of "${op.key}": ${r.outcome} ${r.error ?? ''}`);
  };
  const timed = async (side: string, round: number, fn: (op: KvOperation) => Promise<void>, into: number[]) => {
    for (let i = 0; i < CALLS; i++) {
      const op = opAt(side, round, i);
      const t0 = performance.now();
      await fn(op);
      into.push(performance.now() - t0);
    }
  };
  const libMs: number[] = [];
  const drvMs: number[] = [];
  const addedPerRound: number[] = [];
  let startupMs = 0;
  try {
    const t0 = performance.now();
    await viaDriver({ op: 'get', key: 'warm' }); // spawns the driver, loads etcd3, answers init, then one get
    startupMs = performance.now() - t0;
    for (let i = 0; i < WARMUP; i++) {
      await viaLib(opAt('warm-lib', 0, i));
      await viaDriver(opAt('warm-drv', 0, i));
    }
    for (let r = 0; r < ROUNDS; r++) {
      const l: number[] = [];
      const d: number[] = [];
      // Alternate which side goes first, so neither always follows the other.
      if (r % 2 === 0) {
        await timed('lib', r, viaLib, l);
        await timed('drv', r, viaDriver, d);
      } else {
        await timed('drv', r, viaDriver, d);
        await timed('lib', r, viaLib, l);
      }
      libMs.push(...l);
      drvMs.push(...d);
      addedPerRound.push(median(d) - median(l));
    }
  } finally {
    lib.close();
    await driver.close();
    await cluster.destroy();
    tmp.remove();
  }
  const p50 = { lib: median(libMs), drv: median(drvMs) };
  const p90 = { lib: quantile(libMs, 0.9), drv: quantile(drvMs, 0.9) };
  const added = p50.drv - p50.lib;
  // Calls alternate put, get within each round (CALLS is even), so even indices are puts (an fsync in etcd) and odd ones gets.
  const ofKind = (xs: number[], r: 0 | 1) => xs.filter((_, i) => i % 2 === r);
  const byOp = (['put', 'get'] as const).map((op, r) => `${op}s p50 ${median(ofKind(drvMs, r as 0 | 1)).toFixed(3)} vs ${median(ofKind(libMs, r as 0 | 1)).toFixed(3)} ms (added ${(median(ofKind(drvMs, r as 0 | 1)) - median(ofKind(libMs, r as 0 | 1))).toFixed(3)})`).join(', ');
  return {
    name: 'driver call (etcd3 driver via runner/subjects) vs the etcd3 library called directly, 1 etcd node',
    ratio: p50.drv / p50.lib,
    goal: 'added p50 <= 1 ms',
    met: added <= 1,
    detail:
      `p50 ${p50.drv.toFixed(3)} vs ${p50.lib.toFixed(3)} ms (added ${added.toFixed(3)} ms); p90 ${p90.drv.toFixed(3)} vs ${p90.lib.toFixed(3)} ms (added ${(p90.drv - p90.lib).toFixed(3)} ms); ${byOp}; ` +
      `added p50 per round ${spread(addedPerRound, 3)}; driver calls ${spread(drvMs, 3)}; library calls ${spread(libMs, 3)}; ` +
      `${ROUNDS} interleaved rounds of ${CALLS} sequential calls per side (puts and gets alternating), after ${WARMUP} warm-up calls each; ` +
      `driver start-up (spawn, etcd3 load, init, first get) ${startupMs.toFixed(0)} ms, one-time, excluded`,
  };
}

if (isMain(import.meta.url)) console.log(await run());
