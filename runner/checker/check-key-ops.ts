// One entry point for "is this set of operations linearizable?", so every caller applies the same
// rewrites and the same confirmation of failures.
import type { Budget } from './budget.ts';
import type { KeyOp } from './key-op.ts';
import { reduceOptional } from './reduce-optional.ts';
import type { RegisterState } from './register-model.ts';
import { searchLinearization, type SearchResult } from './wgl-search.ts';

/**
 * Rewrites optional writes away where that is exact, then searches with the fast hashed memo; a
 * failure is confirmed with the exact memo, since a hash collision could only have hidden an order.
 */
export function checkKeyOps(ops: readonly KeyOp[], initial: RegisterState, budget: Budget): SearchResult {
  const reduced = reduceOptional(ops, initial);
  const fast = searchLinearization(reduced, initial, budget, 'hashed');
  if (fast.outcome !== 'not-linearizable') return fast;
  return searchLinearization(reduced, initial, budget, 'exact');
}
