// The link host's worker thread: peer gates and their links run here, off the run's event loop.
// Why: the run's thread stalls tens of ms per process it spawns; a gate waiting on it turns a member's
// refused dial into a dial held open, which changes how etcd bootstraps (measured: bench/results.md).
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { FaultProxy } from './fault-proxy.ts';
import { PeerGate } from './peer-gate.ts';
import { ProxyError } from './proxy-error.ts';
import type { HostAnswer, HostRequest, HostWorkerData, LinkState } from './link-host-protocol.ts';

const { clockOriginMs } = workerData as HostWorkerData;
// The run's clock, read in this thread: both threads share performance.timeOrigin's time line.
const now = () => performance.timeOrigin + performance.now() - clockOriginMs;
const links = new Map<string, FaultProxy>();
const gates: PeerGate[] = [];
/** The link host thread's nice value; the run's other threads and the members keep theirs. */
const LINK_HOST_NICE = -10;
raisePriority();

/**
 * The gates are the observer of every dial: starved of CPU on a loaded machine they accepted dials up to
 * ~700 ms after the dialler logged them (S1 peer-link variant at load 18), which bunched the recorded
 * dial times and failed the spacing check while the dialler's own lines were on time. As root this thread
 * runs at nice -10 so the observer keeps up; it does little work, so it takes little from the members.
 */
function raisePriority(): void {
  try {
    // /proc/thread-self → "<pid>/task/<tid>": setpriority on a tid sets that thread alone on Linux.
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, LINK_HOST_NICE);
  } catch {
    // Not root (or no /proc): the host runs at the run's own priority.
  }
}

function link(name: string): FaultProxy {
  const l = links.get(name);
  if (!l) throw new ProxyError(`no link "${name}" in the link host; it has ${[...links.keys()].join(', ') || 'none'}`);
  return l;
}

async function handle(request: HostRequest): Promise<Omit<Extract<HostAnswer, { ok: true }>, 'id' | 'ok'>> {
  switch (request.op) {
    case 'gate': {
      const { node, port, target, dialers, unknownLink } = request.gate;
      // A refused upstream means the member stopped listening: its gate stops too (peer-gate.ts).
      let gate: PeerGate | undefined;
      const onUpstreamRefused = () => gate?.memberGone();
      const byUid = new Map<number, FaultProxy>();
      for (const d of dialers) {
        const l = FaultProxy.detachedLink({ name: d.link, listenPort: port, target, clock: now, onUpstreamRefused });
        links.set(d.link, l);
        byUid.set(d.uid, l);
      }
      const unknown = FaultProxy.detachedLink({ name: unknownLink, listenPort: port, target, clock: now, onUpstreamRefused });
      links.set(unknownLink, unknown);
      gate = await PeerGate.start({ node, port, follows: target.port, now, linkFor: (uid) => (uid === undefined ? undefined : byUid.get(uid)) ?? unknown });
      gates.push(gate);
      return { port: gate.port };
    }
    case 'setFault':
      await link(request.link).setFault(request.fault);
      return {};
    case 'clearFault':
      await link(request.link).clearFault();
      return {};
    case 'cut':
      return { count: link(request.link).cut() };
    case 'records':
      return { links: Object.fromEntries([...links].map(([n, l]): [string, LinkState] => [n, { records: l.records, fault: l.fault }])) };
    case 'close':
      await Promise.all([...gates.map((g) => g.close()), ...[...links.values()].map((l) => l.close())]);
      return { links: Object.fromEntries([...links].map(([n, l]): [string, LinkState] => [n, { records: l.records, fault: l.fault }])) };
  }
}

parentPort!.on('message', (request: HostRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, ok: true, ...result } satisfies HostAnswer),
    (error: unknown) => parentPort!.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies HostAnswer),
  );
});
