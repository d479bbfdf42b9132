// toSucceed / toFail / toHaveRead: outcome of one operation record.
import type { ToFailArgs } from '../../dsl/expect.ts';
import type { OpRecord } from '../records/history.ts';
import { describeOp } from './describe.ts';

/** The operation ended ok. */
export function toSucceed(received: OpRecord) {
  const pass = received.outcome === 'ok';
  return {
    pass,
    name: 'toSucceed',
    expected: 'ok',
    actual: received.outcome,
    message: () => (pass ? `Expected ${describeOp(received)} not to succeed, but it did.` : `Expected ${describeOp(received)} to succeed, but it did not:\n  ${received.error ?? ''}`),
  };
}

/** The operation failed and its error is clear: names the operation, the endpoint(s) and the attempts. */
export function toFail(received: OpRecord, args: ToFailArgs) {
  const error = received.error ?? '';
  const failed = received.outcome !== 'ok';
  const clear = failed && error.includes(received.op) && received.attempts.every((a) => error.includes(a.endpoint)) && /after \d+ attempt/.test(error);
  const m = args.message;
  const matches = m === undefined || (typeof m === 'string' ? error.includes(m) : new RegExp(m.source, m.flags).test(error));
  const pass = failed && clear && matches;
  const wanted = m === undefined ? 'a clear error' : typeof m === 'string' ? JSON.stringify(m) : `/${m.source}/${m.flags}`;
  return {
    pass,
    name: 'toFail',
    expected: wanted,
    actual: failed ? error : 'success',
    message: () =>
      !failed
        ? `Expected ${describeOp(received)} to fail with ${wanted}, but it succeeded.`
        : pass
          ? `Expected ${describeOp(received)} not to fail with ${wanted}, but it did:\n  ${error}`
          : `Expected ${describeOp(received)} to fail with ${wanted}${clear ? '' : ' naming the operation, endpoints and attempts'}; its error was:\n  ${error}`,
  };
}

/** A read returned `value` (null: the key is absent); the result carries the read's `record`. */
export function toRead(received: OpRecord, value: string | null) {
  const pass = received.outcome === 'ok' && received.result === value;
  return {
    pass,
    name: 'toRead',
    // The read itself, so a DOC-GAP verdict can tell a failed read from a wrong value (runner/doc-gap.ts).
    record: received,
    expected: value,
    actual: received.outcome === 'ok' ? received.result : received.error,
    message: () =>
      received.outcome !== 'ok'
        ? `Expected to read ${JSON.stringify(received.key)} = ${JSON.stringify(value)}, but the read failed:\n  ${received.error}`
        : `Expected ${pass ? 'not ' : ''}to read ${JSON.stringify(received.key)} = ${JSON.stringify(value)}, read ${JSON.stringify(received.result)} (${describeOp(received)}).`,
  };
}
