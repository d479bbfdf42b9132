// A search that may not finish must say so: the budget turns "too hard" into verdict "unknown", never a pass.
import { performance } from 'node:perf_hooks';

/** How much search one check may spend; exhausting either limit makes the verdict "unknown". */
export interface Budget {
  /** Most (linearised set, state) pairs one key's search may visit. */
  maxStates: number;
  /** Absolute `performance.now()` time after which every search gives up. */
  deadline: number;
  /** Most bytes one search's memo may hold (its tables, counted as allocated, growth included). */
  maxBytes: number;
}

/** Default states per key: enough for any realistic history, small enough to answer in seconds. */
export const DEFAULT_MAX_STATES = 5_000_000;

/** Default memo memory per key: with the process's own needs, a check stays well inside 2 GB. */
export const DEFAULT_MAX_MEMORY_MB = 1024;

/** Builds a budget from user options; a missing timeout means no deadline. */
export function makeBudget(maxStates = DEFAULT_MAX_STATES, timeoutMs?: number, maxMemoryMb = DEFAULT_MAX_MEMORY_MB): Budget {
  return { maxStates, deadline: timeoutMs === undefined ? Infinity : performance.now() + timeoutMs, maxBytes: maxMemoryMb * 2 ** 20 };
}

/** The same deadline with fewer states, for the side searches that shrink a failure. */
export function withMaxStates(budget: Budget, maxStates: number): Budget {
  return { maxStates: Math.min(maxStates, budget.maxStates), deadline: budget.deadline, maxBytes: budget.maxBytes };
}
