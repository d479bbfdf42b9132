// toSeeRetries: reconnect attempts of a client Faultline does not control, as a fault proxy saw them.
import type { ToRetryArgs } from '../../dsl/expect.ts';
import { formatMs } from '../../dsl/duration.ts';
import { checkBackoff, describePauses, type Shape } from './backoff-shape.ts';

/** Connection attempts on one link after a fault. */
export interface LinkObservation {
  link: string;
  fromMs: number;
  fromWhat: string;
  attempts: number[];
}

/** Passes when the count is in range and the gaps follow the backoff within tolerance. */
export function toSeeRetries(received: LinkObservation, args: ToRetryArgs) {
  const retries = Math.max(0, received.attempts.length - 1);
  const shape: Shape = { initialMs: args.initialMs ?? 1000, multiplier: args.multiplier ?? 2, maxMs: args.maxMs ?? 120_000, tolerance: args.tolerance };
  const countOk = retries >= args.min && retries <= args.max;
  const tries = received.attempts.map((t) => ({ start: t, end: t }));
  const checkShape = args.initialMs !== undefined || args.multiplier !== undefined;
  const { ok: shapeOk, pauses } = checkShape ? checkBackoff(tries, shape) : { ok: true, pauses: [] };
  const pass = countOk && shapeOk;
  const wanted = args.min === args.max ? `${args.min}` : `${args.min}..${args.max === Infinity ? '∞' : args.max}`;
  return {
    pass,
    name: 'toSeeRetries',
    expected: `${wanted} reconnect attempts`,
    actual: retries,
    message: () =>
      `${pass ? 'Expected not' : 'Expected'} ${wanted} reconnect attempt(s) on ${received.link} after ${received.fromWhat}${checkShape ? ` spaced ${formatMs(shape.initialMs)} ×${shape.multiplier} (±${Math.round(shape.tolerance * 100)}% + 50ms)` : ''};\n` +
      `  the proxy saw ${received.attempts.length} connection(s) at ${received.attempts.map((t) => `+${formatMs(t - received.fromMs)}`).join(', ') || '(none)'}${countOk ? '' : ' (count wrong)'}\n` +
      (pauses.length ? `  gaps:\n${describePauses(pauses, shape)}` : ''),
  };
}
