// Correctness shown, not assumed: thousands of seeded random histories, each checked by the real checker
// and by a brute force that tries every order. Reproduce a case with randomHistory(seed).
import { expect, test } from '@playwright/test';
import { checkHistory } from '../../checker/index.ts';
import type { OpRecord } from '../../checker/history.ts';
import { bruteForceLinearizable } from '../fixtures/brute-force-checker.ts';
import { randomHistory, type RandomCase } from '../fixtures/random-history.ts';

const SEED = 20_240_611;
const CASES = 4_000;
const cases = (): RandomCase[] => Array.from({ length: CASES }, (_, i) => randomHistory(SEED + i));
const describeCase = (c: RandomCase): string =>
  `seed ${c.seed} (randomHistory(${c.seed}, ${JSON.stringify(c.shape)}), mutation: ${c.mutation})\n${c.ops.map((o) => JSON.stringify(o)).join('\n')}`;

/** The key's history as it stood at time `at`: unanswered writes become info, unanswered reads vanish. */
function cut(ops: readonly OpRecord[], at: number, keepAnswered?: ReadonlySet<number>): OpRecord[] {
  return ops.flatMap((o): OpRecord[] => {
    if (o.invoke > at || o.outcome === 'fail') return [];
    if (o.outcome === 'ok' && o.complete <= at && (!keepAnswered || keepAnswered.has(o.id))) return [o];
    return o.op === 'get' ? [] : [{ ...o, outcome: 'info' }];
  });
}

test(`verdicts agree with the brute force on ${CASES} random histories (base seed ${SEED})`, () => {
  const disagreements: string[] = [];
  let linearizable = 0;
  for (const c of cases()) {
    const expected = bruteForceLinearizable(c.ops, c.initial) ? 'linearizable' : 'not-linearizable';
    const actual = checkHistory(c.ops, { initial: c.initial }).verdict;
    if (actual !== expected) disagreements.push(`checker said ${actual}, brute force ${expected}: ${describeCase(c)}`);
    if (expected === 'linearizable') linearizable++;
  }
  expect(disagreements.slice(0, 3)).toEqual([]);
  // Both answers must be exercised, or agreement proves little.
  expect(linearizable / CASES, `share of linearizable cases (base seed ${SEED})`).toBeGreaterThan(0.25);
  expect(linearizable / CASES, `share of linearizable cases (base seed ${SEED})`).toBeLessThan(0.75);
});

test('verdicts agree on 2000 info-heavy histories of up to 10 operations (half the writes info)', () => {
  const disagreements: string[] = [];
  let linearizable = 0;
  for (let i = 0; i < 2_000; i++) {
    const c = randomHistory(SEED + CASES + i, { maxOps: 10, infoShare: 0.5 });
    const expected = bruteForceLinearizable(c.ops, c.initial) ? 'linearizable' : 'not-linearizable';
    const actual = checkHistory(c.ops, { initial: c.initial }).verdict;
    if (actual !== expected) disagreements.push(`checker said ${actual}, brute force ${expected}: ${describeCase(c)}`);
    if (expected === 'linearizable') linearizable++;
  }
  expect(disagreements.slice(0, 3)).toEqual([]);
  expect(linearizable / 2_000, `share of linearizable cases (base seed ${SEED + CASES})`).toBeGreaterThan(0.25);
  expect(linearizable / 2_000, `share of linearizable cases (base seed ${SEED + CASES})`).toBeLessThan(0.85);
});

test('every failure is a true earliest cut with a minimal set of operations (checked by brute force)', () => {
  const problems: string[] = [];
  let failures = 0;
  for (const c of cases()) {
    for (const key of checkHistory(c.ops, { initial: c.initial }).keys) {
      const failure = key.failure;
      if (!failure) continue;
      failures++;
      const ops = c.ops.filter((o) => o.key === key.key);
      const initial = { [key.key]: c.initial[key.key] ?? null };
      const fails = (h: OpRecord[]): boolean => !bruteForceLinearizable(h, initial);
      const previous = ops.filter((o) => o.outcome === 'ok' && o.complete < failure.until).reduce((t, o) => Math.max(t, o.complete), -Infinity);
      const core = new Set(failure.ops.map((o) => o.id));
      const report = (what: string): number => problems.push(`key "${key.key}": ${what}: ${describeCase(c)}\n${failure.message}`);
      if (!failure.minimal) report('shrinking was not finished');
      if (!fails(cut(ops, failure.until))) report(`the cut at ${failure.until} ms is linearizable`);
      if (fails(cut(ops, previous))) report(`an earlier cut (${previous} ms) already fails`);
      if (failure.prefix.join() !== cut(ops, failure.until).map((o) => o.id).join()) report('prefix ids do not match the cut');
      if (!fails(cut(ops, failure.until, core))) report('the reported operations are linearizable on their own');
      for (const id of core) {
        if (fails(cut(ops, failure.until, new Set([...core].filter((x) => x !== id))))) report(`operation #${id} is not needed`);
      }
    }
  }
  expect(problems.slice(0, 3)).toEqual([]);
  expect(failures, 'enough failures to make this test mean something').toBeGreaterThan(CASES / 5);
});

test('a lost write is only ever reported for a history that is not linearizable', () => {
  const wrong: string[] = [];
  let lost = 0;
  for (const c of cases()) {
    for (const l of checkHistory(c.ops, { initial: c.initial }).lostWrites) {
      lost++;
      if (bruteForceLinearizable(c.ops, c.initial)) wrong.push(`${l.message}\n${describeCase(c)}`);
    }
  }
  expect(wrong.slice(0, 3)).toEqual([]);
  expect(lost, 'the generator should produce some lost writes').toBeGreaterThan(CASES / 50);
});
