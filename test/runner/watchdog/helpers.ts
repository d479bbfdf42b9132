// Runs an owner fixture and observes processes from /proc on its own (not with the reaper's code).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { OwnerPlan, SpawnedGroup } from './fixtures/owner.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What the owner printed once everything was registered. */
export interface OwnerReady {
  owner: number;
  reaper: number;
  logFile: string;
  groups: SpawnedGroup[];
  unregistered: SpawnedGroup[];
}

/** A running owner fixture; `lines` collects its stdout and stderr. */
export interface Owner {
  sub: ResultPromise;
  ready: OwnerReady;
  lines: string[];
}

/** Starts the owner fixture with `plan` and resolves when it printed READY (or fails with its output). */
export async function startOwner(plan: OwnerPlan, timeoutMs = 15_000): Promise<Owner> {
  const sub = execa(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'owner.ts'), JSON.stringify(plan)], {
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  const lines: string[] = [];
  for (const s of [sub.stdout!, sub.stderr!]) readline.createInterface({ input: s }).on('line', (l) => lines.push(l));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = lines.find((l) => l.startsWith('READY '));
    if (line) return { sub, ready: JSON.parse(line.slice(6)) as OwnerReady, lines };
    if (sub.exitCode !== null || sub.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  forceKill(sub.pid);
  throw new Error(`The owner fixture did not print READY within ${timeoutMs} ms:\n${lines.join('\n')}`);
}

/** True while `pid` exists and is not a zombie (nobody reaps orphans here: PID 1 does not). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Polls every 5 ms until none of `pids` is alive; returns the time it took in ms, or undefined on timeout. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number | undefined> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (!pids.some(alive)) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

/** SIGKILLs a process (or a group with a negative id) if it still runs; for finally blocks. */
export function forceKill(pid: number | undefined): void {
  if (pid === undefined || !alive(Math.abs(pid))) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills everything an owner run may have left: its groups, the owner, and (if it does not finish) the reaper. */
export async function cleanupOwner(owner: Owner | undefined): Promise<void> {
  if (!owner) return;
  for (const g of [...owner.ready.groups, ...owner.ready.unregistered]) {
    forceKill(-g.pgid);
    for (const p of g.pids) forceKill(p);
  }
  forceKill(owner.ready.owner);
  // A reaper killed mid-cleanup would leave its temp dir behind: let it finish first.
  await waitGone([owner.ready.reaper], 5000);
  forceKill(owner.ready.reaper);
}

/** The reaper's log, '' when it is gone (a clean reaper removes its default log). */
export function readLog(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}
