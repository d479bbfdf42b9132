// Compares the pauses between attempts with an exponential backoff, within a stated tolerance.
import { formatMs } from '../../dsl/duration.ts';
import { backoffMs } from '../../dsl/policy.ts';

/** The expected shape: pause i = initial x multiplier^i, capped at max. */
export interface Shape {
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** Relative tolerance per pause (0.2 = ±20 %), plus `slackMs` for timers and scheduling. */
  tolerance: number;
  slackMs?: number;
}

/** One measured pause against its expectation. */
export interface PauseCheck {
  retry: number;
  expectedMs: number;
  actualMs: number;
  ok: boolean;
}

/** Checks each pause between consecutive tries (end of one → start of the next). */
export function checkBackoff(tries: { start: number; end: number }[], shape: Shape): { ok: boolean; pauses: PauseCheck[] } {
  const slack = shape.slackMs ?? 50;
  const pauses: PauseCheck[] = [];
  for (let i = 1; i < tries.length; i++) {
    const expectedMs = backoffMs(shape, i - 1);
    const actualMs = tries[i]!.start - tries[i - 1]!.end;
    pauses.push({ retry: i, expectedMs, actualMs, ok: Math.abs(actualMs - expectedMs) <= expectedMs * shape.tolerance + slack });
  }
  return { ok: pauses.every((p) => p.ok), pauses };
}

/** One line per pause: "retry 2: paused 1.01s, expected 1s ±250ms ✓". */
export function describePauses(pauses: PauseCheck[], shape: Shape): string {
  const slack = shape.slackMs ?? 50;
  return pauses
    .map((p) => `    retry ${p.retry}: paused ${formatMs(p.actualMs)}, expected ${formatMs(p.expectedMs)} ±${formatMs(p.expectedMs * shape.tolerance + slack)} ${p.ok ? 'ok' : 'OUT OF RANGE'}`)
    .join('\n');
}
