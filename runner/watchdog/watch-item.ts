// What a run can leave behind, in a form the reaper can undo without knowing about faults or services.
import path from 'node:path';
import { WatchdogError } from './watchdog-error.ts';

/**
 * Something the reaper removes when its owner dies.
 * - pgid: a process group (spawned with detached: true; its leader's pid), SIGKILLed as a whole.
 * - cgroup: a cgroup v2 directory of ours (a path component starts with "faultline-"): everything in it and
 *   below is killed with cgroup.kill, then the directories are removed, deepest first.
 * - iptables-chain: a user chain plus its jumps, each jump as given to `iptables -A` without `-A`
 *   (e.g. ["INPUT", "-i", "lo", "-p", "tcp", "--dport", "4242", "-j", "FAULTLINE-X"]); jumps are deleted,
 *   then the chain is flushed and deleted.
 * - netns: `ip netns delete <name>` (its processes are only killed when their groups are registered).
 * - dir: removed recursively.
 * - command: run once, as given (10 s limit): for anything else that must be undone.
 */
export type WatchItem =
  | { kind: 'pgid'; pgid: number; label?: string }
  | { kind: 'cgroup'; path: string; label?: string }
  | { kind: 'iptables-chain'; chain: string; jumps: string[][]; table?: string }
  | { kind: 'netns'; name: string }
  | { kind: 'dir'; path: string }
  | { kind: 'command'; argv: string[]; label?: string };

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Rejects an item the reaper could not undo safely, before it is sent. Why: a bad rm -rf or kill is not undoable. */
export function validateWatchItem(item: WatchItem): void {
  const fail = (rule: string, fix: string): never => {
    throw new WatchdogError(`${rule}\n  Fix: ${fix}`);
  };
  switch (item.kind) {
    case 'pgid':
      if (!Number.isInteger(item.pgid) || item.pgid <= 1) fail(`A process group id must be an integer above 1, got ${item.pgid}.`, 'register the pid of a process spawned with detached: true.');
      return;
    case 'cgroup': {
      const p = item.path;
      if (typeof p !== 'string' || !path.isAbsolute(p) || path.normalize(p) !== p || !p.split('/').some((c) => c.startsWith('faultline-'))) {
        fail(`The watchdog kills and removes only Faultline's own cgroups (an absolute, normalised path with a component starting with "faultline-"); "${p}" is not one.`, 'register the cgroup created for the run (runner/process/cgroup-home.ts), never a shared one.');
      }
      return;
    }
    case 'iptables-chain':
      if (!NAME.test(item.chain) || item.chain.length > 28) fail(`iptables chain name "${item.chain}" is not valid (letters, digits, _ . -, at most 28 characters).`, 'register the chain exactly as created with iptables -N.');
      for (const jump of item.jumps) {
        const j = jump.findIndex((a) => a === '-j' || a === '--jump');
        if (jump.some((a) => typeof a !== 'string') || j < 1 || jump[j + 1] !== item.chain) {
          fail(`iptables jump ${JSON.stringify(jump)} does not jump to "${item.chain}".`, `give each jump as passed to iptables -A, e.g. ["INPUT", "-i", "lo", "-j", "${item.chain}"].`);
        }
      }
      return;
    case 'netns':
      if (!NAME.test(item.name)) fail(`Network namespace name "${item.name}" is not valid (letters, digits, _ . -).`, 'register the name given to ip netns add.');
      return;
    case 'dir': {
      const p = item.path;
      if (!path.isAbsolute(p) || path.normalize(p).replace(/\/+$/, '') !== p.replace(/\/+$/, '') || p.split('/').filter(Boolean).length < 2) {
        fail(`The watchdog removes only absolute, normalised directories at least two levels deep; "${p}" is not one.`, 'register the run\'s own directory (e.g. from fs.mkdtempSync), never a shared parent.');
      }
      return;
    }
    case 'command':
      if (!Array.isArray(item.argv) || item.argv.length === 0 || item.argv.some((a) => typeof a !== 'string' || a === '')) {
        fail(`A command needs a non-empty argv of non-empty strings, got ${JSON.stringify(item.argv)}.`, 'pass argv as for execa, e.g. ["ip", "link", "delete", "veth-x"].');
      }
      return;
    default:
      fail(`Unknown watch item kind "${(item as { kind: string }).kind}".`, 'use one of pgid, cgroup, iptables-chain, netns, dir, command.');
  }
}
