// toRetry: the operation made the expected number of retries, spaced as an exponential backoff.
import type { ToRetryArgs } from '../../dsl/expect.ts';
import type { RetryPolicy } from '../../dsl/plan.ts';
import { checkBackoff, describePauses, type Shape } from './backoff-shape.ts';
import type { OpRecord } from '../records/history.ts';
import { describeOp } from './describe.ts';

/** Matcher body: `received` is the operation's record, the shape defaults to the client's policy. */
export function toRetry(received: OpRecord, args: ToRetryArgs, policy: RetryPolicy) {
  const retries = received.attempts.length - 1;
  const shape: Shape = {
    initialMs: args.initialMs ?? policy.initialMs,
    multiplier: args.multiplier ?? policy.multiplier,
    maxMs: args.maxMs ?? policy.maxMs,
    tolerance: args.tolerance,
  };
  const countOk = retries >= args.min && retries <= args.max;
  const { ok: shapeOk, pauses } = checkBackoff(received.attempts, shape);
  const wanted = args.min === args.max ? `${args.min}` : `${args.min}..${args.max === Infinity ? '∞' : args.max}`;
  const pass = countOk && shapeOk;
  return {
    pass,
    name: 'toRetry',
    expected: wanted,
    actual: retries,
    message: () =>
      `${pass ? 'Expected not' : 'Expected'} ${describeOp(received)} to retry ${wanted} time(s) with backoff ${shape.initialMs}ms x${shape.multiplier} (max ${shape.maxMs}ms, ±${Math.round(shape.tolerance * 100)}% + 50ms)\n` +
      `  it retried ${retries} time(s)${countOk ? '' : ' (count wrong)'}${shapeOk ? '' : ' and the spacing is off'}:\n` +
      `${received.attempts.map((a) => `    #${a.n} ${a.endpoint} +${(a.start - received.invoke).toFixed(0)}ms..+${(a.end - received.invoke).toFixed(0)}ms ${a.status}${a.error ? ` ${a.error}` : ''}`).join('\n')}\n` +
      (pauses.length ? `  pauses:\n${describePauses(pauses, shape)}` : '  no pauses (a single attempt)'),
  };
}
