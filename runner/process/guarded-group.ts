// A detached child's process group under the watchdog, for processes that are not nodes (etcdctl).
import type { ProcessGuard } from './node-process.ts';

/**
 * Registers the group `pgid` (a child spawned with detached: true) with `guard`, and unregisters it once
 * `exited` settles. When the guard refuses while the child still runs, the group is SIGKILLed — it would
 * outlive a dying owner otherwise — and the refusal is returned for the caller to throw.
 * Call it right after the spawn: register() writes to the socket before it returns.
 */
export async function guardGroup(guard: ProcessGuard | undefined, pgid: number, label: string, exited: Promise<unknown>): Promise<{ refused: unknown } | undefined> {
  if (!guard) return undefined;
  let ended = false;
  void exited.then(() => (ended = true), () => (ended = true));
  try {
    const id = await guard.register({ kind: 'pgid', pgid, label });
    void exited.finally(() => guard.unregister(id).catch(() => undefined)).catch(() => undefined);
    return undefined;
  } catch (e) {
    // A child that already exited cannot be registered (its group is gone): nothing is left to guard.
    if (ended || !killGroup(pgid)) return undefined;
    return { refused: e };
  }
}

/** SIGKILLs a whole process group; false when it is already gone. */
export function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
