// Nodes on SSH hosts (a namespace lab of this machine): kill() from the call to the process gone, over the host's
// multiplexed master, beside the same kill over a fresh ssh connection per fault (no multiplexing); and a 3-node
// cluster's start on three hosts against the same start on this machine, rounds interleaved.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { startClock } from '../runner/time/clock.ts';
import { StartedCluster } from '../runner/cluster.ts';
import { EventLog } from '../runner/records/events.ts';
import { HostSet } from '../runner/hosts/host-set.ts';
import { sshDestination, sshOptions } from '../runner/hosts/ssh-target.ts';
import { WatchdogClient } from '../runner/watchdog/index.ts';
import { etcdService } from '../services/etcd/definition.ts';
import { benchPorts, isMain, median, quantile, spread, tempDir, type BenchResult } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const START_ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 6);

export async function run(): Promise<BenchResult[]> {
  const wd = await WatchdogClient.start();
  const hosts = await HostSet.open('lab:3', { guard: wd });
  const out = tempDir('hosts');
  const ports = benchPorts();
  const events = new EventLog(startClock());
  try {
    const one = await StartedCluster.start(etcdService(), { nodes: 1 }, { dir: out.dir, ports, events, guard: wd, placement: hosts.placement });
    const mux: number[] = [];
    const fresh: number[] = [];
    const target = hosts.sessions[0]!.config;
    try {
      for (let i = 0; i < ROUNDS; i++) {
        let t0 = performance.now();
        await one.kill('node-1');
        mux.push(performance.now() - t0);
        await one.startNode('node-1');
        // The same fault without multiplexing: a new ssh connection (handshake, auth) per kill.
        const p = one.process('node-1')!;
        t0 = performance.now();
        await execa('ssh', [...sshOptions(target), '-o', 'ControlPath=none', sshDestination(target), `kill -9 ${p.pid}`]);
        await p.exited;
        fresh.push(performance.now() - t0);
        await one.startNode('node-1');
      }
    } finally {
      await one.destroy();
    }
    const local: number[] = [];
    const remote: number[] = [];
    for (let i = 0; i < START_ROUNDS; i++) {
      for (const [into, placement] of [[local, undefined], [remote, hosts.placement]] as const) {
        // A fresh dir per round: a data dir from an earlier round holds another membership.
        const dir = path.join(out.dir, `start-${i}-${placement ? 'hosts' : 'local'}`);
        fs.mkdirSync(dir);
        const t0 = performance.now();
        const c = await StartedCluster.start(etcdService(), { nodes: 3 }, { dir, ports, events, guard: wd, ...(placement ? { placement } : {}) });
        into.push(performance.now() - t0);
        await c.destroy();
        ports.recycle();
      }
    }
    const p50 = median(mux);
    return [
      {
        name: 'kill() on an SSH host (call to process gone), master vs a fresh connection',
        ratio: p50 / median(fresh),
        goal: 'p50 <= 15 ms over the master',
        met: p50 <= 15,
        detail: `over the master ${spread(mux, 2)} (p90 ${quantile(mux, 0.9).toFixed(1)}); without multiplexing ${spread(fresh, 1)}; ${ROUNDS} interleaved rounds on lab host ${target.name} (${target.address})`,
      },
      {
        name: '3-node cluster start on 3 SSH hosts vs on this machine',
        ratio: median(remote) / median(local),
        goal: '<= 1.3',
        met: median(remote) / median(local) <= 1.3,
        detail: `hosts ${spread(remote, 0)}; local ${spread(local, 0)}; ${START_ROUNDS} interleaved rounds (etcd's own start is bimodal, ~0.4 s or ~2.2 s)`,
      },
    ];
  } finally {
    await hosts.close();
    await wd.close();
    out.remove();
  }
}

if (isMain(import.meta.url)) console.log(await run());
