// One watchdog per process (a Playwright worker): the only module-level state in runner/, on purpose —
// the reaper watches this process, so a second one per process would only double the work.
import { WatchdogClient, type WatchdogOptions } from './client.ts';

let current: Promise<WatchdogClient> | undefined;

/** The watchdog of this process, started on first use (and again after close() or a failed start). */
export function watchdogForThisProcess(options?: WatchdogOptions): Promise<WatchdogClient> {
  const previous = current;
  current = (async () => {
    const existing = previous && (await previous.catch(() => undefined));
    return existing?.open ? existing : WatchdogClient.start(options);
  })();
  return current;
}
