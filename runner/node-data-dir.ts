// Data dirs of nodes under their own uids live in the system temp dir (the test's output dir may sit where those
// uids cannot enter, e.g. a 0700 clone): known to the watchdog from birth, removed after a pass, moved into the
// test's output dir after a failure — never left in /tmp, never linked from test-results into it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessGuard } from './process/node-process.ts';

/** A temp data dir and where its evidence goes when the test fails. */
export interface NodeDataDir {
  path: string;
  /** Where settle(keep = true) moves it: inside the test's output dir. */
  keepAs: string;
  /** Forgets the watchdog registration (the dir is gone or moved). */
  release(): Promise<void>;
}

/** Creates /tmp/faultline-nodes-<pid>-XXXXXX (searchable by every uid) and registers it with `guard`. */
export async function createNodeDataDir(keepAs: string, guard?: ProcessGuard): Promise<NodeDataDir> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `faultline-nodes-${process.pid}-`));
  fs.chmodSync(dir, 0o755);
  let id: string | undefined;
  try {
    id = await guard?.register({ kind: 'dir', path: dir });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true }); // nobody would remove it otherwise
    throw e;
  }
  return { path: dir, keepAs, release: async () => void (id && (await guard!.unregister(id).catch(() => undefined))) };
}

/** Moves the dir to `keepAs` (keep) or removes it, then releases its registration. */
export async function settleNodeDataDir(d: NodeDataDir, keep: boolean): Promise<void> {
  if (keep && fs.existsSync(d.path)) {
    fs.mkdirSync(path.dirname(d.keepAs), { recursive: true });
    try {
      fs.renameSync(d.path, d.keepAs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      // Another file system (tmpfs /tmp): copy, then remove the original.
      fs.cpSync(d.path, d.keepAs, { recursive: true, verbatimSymlinks: true });
      fs.rmSync(d.path, { recursive: true, force: true });
    }
  } else {
    fs.rmSync(d.path, { recursive: true, force: true });
  }
  await d.release();
}
