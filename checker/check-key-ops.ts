// One entry point for "is this set of operations linearizable?", so every caller applies the same rewrites.
import type { Budget } from './budget.ts';
import type { KeyOp } from './key-op.ts';
import { reduceOptional } from './reduce-optional.ts';
import type { RegisterState } from './register-model.ts';
import { searchLinearization, type SearchResult } from './wgl-search.ts';

/** Rewrites optional writes away where that is exact, then searches. */
export function checkKeyOps(ops: readonly KeyOp[], initial: RegisterState, budget: Budget): SearchResult {
  return searchLinearization(reduceOptional(ops, initial), initial, budget);
}
