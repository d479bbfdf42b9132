// The search's memory is bounded: compact memo entries (a bitset of the linearised set, not a list of
// pending operations) and a budget that ends the search as "unknown" instead of an out-of-memory kill.
import { expect, test } from '@playwright/test';
import { makeBudget } from '../../checker/budget.ts';
import { checkHistory } from '../../checker/index.ts';
import { toKeyOps } from '../../checker/key-op.ts';
import { reduceOptional } from '../../checker/reduce-optional.ts';
import { searchLinearization } from '../../checker/wgl-search.ts';
import { ghostReadHistory } from '../fixtures/ghost-read-history.ts';

test('2,000 overlapping operations cost well under 1 KB per search state (5.7 KB each before)', () => {
  const ops = reduceOptional(toKeyOps(ghostReadHistory(1_000, true)), null);
  const result = searchLinearization(ops, null, makeBudget(50_000));
  expect(result.outcome).toBe('budget-exhausted');
  expect(result.limit).toBe('states');
  const perState = result.memoBytes! / result.states;
  expect(perState).toBeGreaterThan(0);
  expect(perState).toBeLessThan(1024);
});

test('a memory budget ends the search as unknown, with the reason and how to raise it', () => {
  const result = checkHistory(ghostReadHistory(300, true), { maxMemoryMb: 4 });
  expect(result.verdict).toBe('unknown');
  expect(result.keys[0]!.reason).toMatch(/^memory budget of 4 MB exceeded after \d+ states; raise it with --memory <MB> \(option maxMemoryMb\)$/);
});

test('the ghost read (a value never written) is found at once, without a search', () => {
  const result = checkHistory(ghostReadHistory());
  expect(result.verdict).toBe('not-linearizable');
  expect(result.keys[0]!.failure!.ops.map((o) => o.id)).toEqual([1999]);
  expect(result.keys[0]!.states).toBe(0);
});
