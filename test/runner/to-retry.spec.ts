// toRetry on synthetic attempt records: count and backoff shape, passing and failing.
import { test, expect } from '@playwright/test';
import { SEED_POLICY } from '../../dsl/policy.ts';
import type { OpRecord } from '../../runner/records/history.ts';
import { toRetry } from '../../runner/matchers/to-retry.ts';

/** An operation whose attempts each take `took` ms and are separated by the given pauses. */
function record(pauses: number[], took = 5): OpRecord {
  let t = 0;
  const attempts = [pauses, [0]].flat().map((pause, i) => {
    const a = { n: i + 1, start: t, end: t + took, endpoint: 'node-1@127.0.0.1:1', status: 'UNAVAILABLE', error: 'ECONNREFUSED' };
    t = a.end + pause;
    return a;
  });
  attempts.length = pauses.length + 1;
  return { id: 1, process: 'client', op: 'put', key: 'k', value: 'v', invoke: 0, complete: t, outcome: 'fail', attempts };
}

const exactly = (n: number) => ({ min: n, max: n, tolerance: 0.2 });

test('the seed backoff 500ms, 1s, 2s passes toRetry(3)', () => {
  const r = toRetry(record([505, 1003, 2010]), exactly(3), SEED_POLICY);
  expect(r.pass).toBe(true);
});

test('a wrong retry count fails and says how many retries happened', () => {
  const r = toRetry(record([500, 1000]), exactly(3), SEED_POLICY);
  expect(r.pass).toBe(false);
  expect(r.message()).toContain('it retried 2 time(s) (count wrong)');
});

test('constant spacing is not exponential backoff', () => {
  const r = toRetry(record([500, 500, 500]), exactly(3), SEED_POLICY);
  expect(r.pass).toBe(false);
  expect(r.message()).toContain('retry 2: paused 500ms, expected 1s ±250ms OUT OF RANGE');
});

test('no backoff at all (immediate retries) fails', () => {
  const r = toRetry(record([0, 0, 0]), exactly(3), SEED_POLICY);
  expect(r.pass).toBe(false);
});

test('the tolerance is relative plus 50ms: 20% of 2s is ±450ms', () => {
  expect(toRetry(record([500, 1000, 2440]), exactly(3), SEED_POLICY).pass).toBe(true);
  expect(toRetry(record([500, 1000, 2460]), exactly(3), SEED_POLICY).pass).toBe(false);
});

test('the cap (max) bounds the pauses', () => {
  const policy = { ...SEED_POLICY, retries: 5, maxMs: 1000 };
  expect(toRetry(record([500, 1000, 1000, 1000]), exactly(4), policy).pass).toBe(true);
  expect(toRetry(record([500, 1000, 2000, 4000]), exactly(4), policy).pass).toBe(false);
});

test('a shape given in the expectation overrides the policy', () => {
  const r = toRetry(record([100, 300, 900]), { ...exactly(3), initialMs: 100, multiplier: 3 }, SEED_POLICY);
  expect(r.pass).toBe(true);
});

test('a range of retries accepts any count inside it', () => {
  expect(toRetry(record([500]), { min: 1, max: 3, tolerance: 0.2 }, SEED_POLICY).pass).toBe(true);
  expect(toRetry(record([]), { min: 1, max: 3, tolerance: 0.2 }, SEED_POLICY).pass).toBe(false);
});
