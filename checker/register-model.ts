// The sequential specification every key is checked against: one register that may be absent.
import type { OpKind } from './history.ts';

/** A key's value; null means the key is absent (never written, or deleted). */
export type RegisterState = string | null;

/** Returned by `stepRegister` when the operation cannot happen in that state. */
export const IMPOSSIBLE: unique symbol = Symbol('impossible');

/** The parts of an operation the model looks at, so the search need not carry whole records. */
export interface ModelOp {
  kind: OpKind;
  /** The value a put/cas writes; null for delete and get. */
  value: string | null;
  /** cas only: the value that must be current for the swap. */
  expected: string | null;
  /** get only: the value the read returned. */
  result: string | null;
}

/** Applies one operation that took effect; `IMPOSSIBLE` when its observed result contradicts the state. */
export function stepRegister(state: RegisterState, op: ModelOp): RegisterState | typeof IMPOSSIBLE {
  switch (op.kind) {
    case 'get':
      return state === op.result ? state : IMPOSSIBLE;
    case 'put':
      return op.value;
    case 'delete':
      return null;
    case 'cas':
      return state === op.expected ? op.value : IMPOSSIBLE;
  }
}

/** A string that identifies a state exactly, for memoisation keys (null and "" must differ). */
export function stateKey(state: RegisterState): string {
  return state === null ? '-' : `=${state}`;
}

/** How a state reads in messages: quoted value or "absent". */
export function describeState(state: RegisterState): string {
  return state === null ? 'absent' : JSON.stringify(state);
}
