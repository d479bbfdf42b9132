// One monotonic clock per run: every record carries an offset from its origin, so logs,
// faults and client attempts line up on one timeline.
import { performance } from 'node:perf_hooks';

/** Milliseconds since the clock's origin, monotonic, sub-millisecond precision. */
export interface Clock {
  now(): number;
  /** Wall-clock time of the origin, for humans reading the evidence. */
  readonly originWallTime: string;
}

/** Starts a clock whose origin is this instant. */
export function startClock(): Clock {
  const origin = performance.now();
  const originWallTime = new Date().toISOString();
  return { now: () => performance.now() - origin, originWallTime };
}
