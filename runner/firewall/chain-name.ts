// A run's chains are named after their owner: FAULTLINE-<pid>-<6 hex>-in / -out, so a sweep can tell a dead run's leftovers.
import { FirewallError } from './firewall-error.ts';
import { randomBytes } from 'node:crypto';

/** The prefix of every chain Faultline creates; no other chain is ever touched. */
export const CHAIN_PREFIX = 'FAULTLINE-';

/** iptables refuses chain names of 29 characters or more. */
export const MAX_CHAIN_NAME = 28;

/** The two chains of one run: `input` (jumped to from INPUT) and `output` (jumped to from OUTPUT). */
export interface ChainNames {
  /** `FAULTLINE-<pid>-<6 hex>`, shared by both chains. */
  id: string;
  input: string;
  output: string;
}

/** Fresh names for a run owned by `pid`; 6 random hex digits keep two runs of one process apart. */
export function newChainNames(pid = process.pid, random = randomBytes(3).toString('hex')): ChainNames {
  const id = `${CHAIN_PREFIX}${pid}-${random}`;
  const names = { id, input: `${id}-in`, output: `${id}-out` };
  if (names.output.length > MAX_CHAIN_NAME) throw new FirewallError(`Chain name "${names.output}" has ${names.output.length} characters; iptables allows at most ${MAX_CHAIN_NAME}.`);
  return names;
}

/** The owner pid and run id of a chain named by newChainNames(), or undefined for any other chain. */
export function parseChainName(name: string, prefix = CHAIN_PREFIX): { pid: number; id: string } | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)-([0-9a-f]{6})-(?:in|out)$/.exec(name.slice(prefix.length));
  return m ? { pid: Number(m[1]), id: `${prefix}${m[1]}-${m[2]}` } : undefined;
}
