// The lost-write check: every acknowledged write is read back at the end or overwritten by a later write.
import { expect, test } from '@playwright/test';
import { checkHistory } from '../../checker/index.ts';
import { findLostWrites } from '../../checker/lost-writes.ts';
import { partitionByKey } from '../../checker/partition.ts';
import type { OpRecord } from '../../checker/history.ts';
import { cas, del, get, history, put } from './build-history.ts';

const lostIds = (ops: OpRecord[]): number[] => findLostWrites(partitionByKey(ops)).map((l) => l.write.id);

test('a write read back by the final read is not lost', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), get('p2', 'x', [2, 3])))).toEqual([]);
});

test('a write overwritten by a later acknowledged write is not lost', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3]), get('p3', 'y', [4, 5])))).toEqual([]);
  expect(lostIds(history(put('p1', 'x', [0, 1]), del('p2', [2, 3]), get('p3', null, [4, 5])))).toEqual([]);
  expect(lostIds(history(put('p1', 'x', [0, 1]), cas('p2', 'x', 'y', [2, 3]), get('p3', 'y', [4, 5])))).toEqual([]);
});

test('an acknowledged write missing from the final read is lost', () => {
  const ops = history(put('c1', 'x', [0, 1]), get('c2', 'x', [2, 3]), put('c1', 'y', [4, 5]), get('c2', 'x', [6, 7]));
  const [lost, ...more] = findLostWrites(partitionByKey(ops));
  expect(more).toEqual([]);
  expect(lost!.write.id).toBe(2);
  expect(lost!.finalRead.id).toBe(3);
  expect(lost!.message).toContain('Lost write on key "k": "y" was acknowledged, yet the final read returned "x"');
  expect(lost!.message).toContain('#2 process "c1" put "y" ok, 4.000 ms – 5.000 ms');
});

test('a delete missing from the final read is lost too', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), del('p1', [2, 3]), get('p2', 'x', [4, 5])))).toEqual([1]);
});

test('writes concurrent with the final read, or with each other, are not lost', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 10]), get('p3', 'x', [3, 4])))).toEqual([]);
  expect(lostIds(history(put('p1', 'x', [0, 5]), put('p2', 'y', [1, 6]), get('p3', 'x', [7, 8])))).toEqual([]);
});

test('an info write whose value the final read returned covers the writes before it', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'info' }), get('p3', 'y', [9, 10])))).toEqual([]);
});

test('an info write the final read did not return does not excuse a missing write', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'info' }), get('p3', null, [9, 10])))).toEqual([0]);
});

test('keys without a successful read are skipped', () => {
  expect(lostIds(history(put('p1', 'x', [0, 1]), get('p2', null, [2, 3], { outcome: 'fail' })))).toEqual([]);
});

test('a lost write makes the verdict "not-linearizable" even when the search runs out of budget', () => {
  const ops = history(put('p1', 'x', [0, 1]), put('p1', 'y', [0, 1]), put('p2', 'z', [2, 3]), get('p3', 'x', [4, 5]));
  const result = checkHistory(ops, { maxStates: 1 });
  expect(result.keys[0]!.verdict).toBe('unknown');
  expect(result.lostWrites.map((l) => l.write.id)).toEqual([2]);
  expect(result.verdict).toBe('not-linearizable');
});
