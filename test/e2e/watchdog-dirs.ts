// A watchdog that had to clean up keeps its temp dir and log as evidence (runner/watchdog/reaper-process.mjs).
// Tests that kill a child run on purpose read that evidence, then remove the dirs they caused, and only those.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'faultline-watchdog-';

/** One kept watchdog dir with its log. */
export interface KeptWatchdogDir {
  dir: string;
  log: string;
}

/** The watchdog dirs that exist now (take this before starting the child run). */
export function watchdogDirs(): Set<string> {
  return new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(PREFIX)).map((n) => path.join(os.tmpdir(), n)));
}

/**
 * Dirs created since `before` by the watchdog of `owner` (a child worker's pid, named in every log line):
 * other runs on this machine may keep their own dirs meanwhile, and those are not ours to touch.
 */
export function keptWatchdogDirs(before: Set<string>, owner: number): KeptWatchdogDir[] {
  return [...watchdogDirs()]
    .filter((dir) => !before.has(dir))
    .map((dir) => ({ dir, log: readLog(path.join(dir, 'reaper.log')) }))
    .filter((d) => d.log.includes(`, owner ${owner}] `));
}

/** Removes dirs found by keptWatchdogDirs(). */
export function removeWatchdogDirs(dirs: KeptWatchdogDir[]): void {
  for (const d of dirs) fs.rmSync(d.dir, { recursive: true, force: true });
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
