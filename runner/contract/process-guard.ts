// The watchdog as process owners see it: its own file, so services and node processes can both name it without a circle.
import type { WatchItem } from '../watchdog/index.ts';

/** Who kills a process group when its owner dies without cleaning up (the watchdog). */
export interface ProcessGuard {
  register(item: WatchItem): Promise<string>;
  unregister(id: string): Promise<void>;
}
