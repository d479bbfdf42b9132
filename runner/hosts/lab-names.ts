// Names and addresses of one lab: everything carries the run's id, and addresses come from 198.18.0.0/15 only.
import { randomBytes } from 'node:crypto';
import { HostsError } from './hosts-error.ts';

/** The benchmark-testing range (RFC 2544): never routed on the internet, never a real peer of this machine. */
export const LAB_RANGE = '198.18.0.0/15';

/** One lab's names: namespaces `fl-<id>-br` and `fl-<id>-h<i>`, the runner-side veth `fl<id>`, a /24 of LAB_RANGE. */
export interface LabNames {
  id: string;
  bridgeNetns: string;
  /** The veth end in the runner's namespace (interface names have at most 15 characters). */
  runnerVeth: string;
  /** "198.18.x" or "198.19.x": the lab's /24 without its last octet. */
  subnet: string;
  hostNetns(i: number): string;
  hostAddress(i: number): string;
  /** The runner's own address on the lab's bridge (.254). */
  runnerAddress: string;
}

/** Picks a fresh id and a /24 no route of this namespace uses yet (`taken`: routes as `ip -4 route` prints them). */
export function labNames(taken: string, id = randomBytes(3).toString('hex')): LabNames {
  const used = new Set([...taken.matchAll(/^(198\.1[89]\.\d+)\.\d+\/\d+/gm)].map((m) => m[1]));
  const start = parseInt(id, 16) % 512;
  let subnet: string | undefined;
  for (let k = 0; k < 512 && !subnet; k++) {
    const n = (start + k) % 512;
    const candidate = `198.${18 + (n >> 8)}.${n & 255}`;
    if (!used.has(candidate)) subnet = candidate;
  }
  if (!subnet) throw new HostsError('lab', 'address', `every /24 of ${LAB_RANGE} is routed in this network namespace already.`, 'remove leftover labs (ip netns list | grep ^fl-), or run in a fresh namespace (isolated …).');
  const s = subnet;
  return {
    id,
    bridgeNetns: `fl-${id}-br`,
    runnerVeth: `fl${id}`,
    subnet: s,
    hostNetns: (i) => `fl-${id}-h${i}`,
    hostAddress: (i) => `${s}.${i}`,
    runnerAddress: `${s}.254`,
  };
}
