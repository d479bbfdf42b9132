// A fault seen from inside one direction of a connection: pass, drop, delay or throttle bytes.
import type { Fault } from './faults.ts';

/** What a direction does with each chunk it reads. */
export type Shaping =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'latency'; ms: number; jitterMs: number }
  | { kind: 'bandwidth'; bytesPerSecond: number };

/** Maps a link fault (or none) to per-direction shaping; refuse and reset act on sockets, not bytes. */
export function shapingFor(fault: Fault | null): Shaping {
  switch (fault?.kind) {
    case 'blackhole':
      return { kind: 'drop' };
    case 'latency':
      return { kind: 'latency', ms: fault.ms, jitterMs: fault.jitterMs ?? 0 };
    case 'bandwidth':
      return { kind: 'bandwidth', bytesPerSecond: fault.bytesPerSecond };
    default:
      return { kind: 'pass' };
  }
}
