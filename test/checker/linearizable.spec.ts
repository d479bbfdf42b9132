// Hand-built histories with a known answer: the checker must accept every valid one and reject every anomaly.
import { expect, test } from '@playwright/test';
import { checkHistory } from '../../checker/index.ts';
import { cas, del, get, history, put } from './build-history.ts';

test.describe('accepts linearizable histories', () => {
  const cases = {
    'an empty history': history(),
    'sequential put then get': history(put('p1', 'x', [0, 1]), get('p1', 'x', [2, 3])),
    'a read of a key never written': history(get('p1', null, [0, 1])),
    'a read concurrent with a write sees either value': history(
      put('p1', 'x', [0, 10]), get('p2', null, [1, 2]), get('p3', 'x', [3, 4]),
    ),
    'concurrent writes in either order': history(
      put('p1', 'x', [0, 5]), put('p2', 'y', [0, 5]), get('p3', 'x', [6, 7]),
    ),
    'touching intervals count as concurrent': history(put('p1', 'x', [0, 2]), get('p2', null, [2, 3])),
    'an info write that took effect after it timed out': history(
      put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'info' }), get('p3', 'x', [4, 5]), get('p3', 'y', [50, 51]),
    ),
    'an info write that never took effect': history(
      put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'info' }), get('p3', 'x', [10, 11]),
    ),
    'an info delete applied late, between two reads': history(
      put('p1', 'x', [0, 1]), del('p2', [2, 3], { outcome: 'info' }), get('p1', 'x', [4, 5]), get('p1', null, [6, 7]),
    ),
    'a failed write is ignored': history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'fail' }), get('p1', 'x', [4, 5])),
    'a cas chain with a failed cas': history(
      put('p1', 'a', [0, 1]), cas('p2', 'a', 'b', [2, 3]), cas('p3', 'a', 'c', [4, 5], { outcome: 'fail' }), get('p1', 'b', [6, 7]),
    ),
    'cas on an absent key': history(cas('p1', null, 'a', [0, 1]), get('p2', 'a', [2, 3])),
    'delete then read absent': history(put('p1', 'a', [0, 1]), del('p1', [2, 3]), get('p2', null, [4, 5])),
    'two identical info deletes, each needed once, and a read that could use either order': history(
      put('p1', 'a', [0, 1]), get('p2', null, [0, 10]), del('p3', [0, 1], { outcome: 'info' }), del('p4', [0, 1], { outcome: 'info' }),
      put('p1', 'b', [11, 12]), get('p2', null, [13, 14]), put('p1', 'c', [15, 16]), get('p2', null, [17, 18]),
    ),
    'an info cas chain applied late: put, then cas from it, then a read of the cas value': history(
      put('p1', 'a', [0, 1], { outcome: 'info' }), cas('p2', 'a', 'b', [2, 3], { outcome: 'info' }), get('p3', null, [4, 5]), get('p3', 'b', [20, 21]),
    ),
    'independent keys': history(put('p1', 'x', [0, 1], { key: 'a' }), get('p2', null, [2, 3], { key: 'b' }), get('p2', 'x', [4, 5], { key: 'a' })),
  };
  for (const [title, ops] of Object.entries(cases)) {
    test(title, () => {
      const result = checkHistory(ops);
      expect(result.keys.filter((k) => k.verdict !== 'linearizable').map((k) => k.failure?.message ?? k.reason)).toEqual([]);
      expect(result.verdict).toBe('linearizable');
    });
  }

  test('initial values are the state before the first operation', () => {
    const ops = history(get('p1', 'seed', [0, 1]), cas('p1', 'seed', 'next', [2, 3]));
    expect(checkHistory(ops, { initial: { k: 'seed' } }).verdict).toBe('linearizable');
    expect(checkHistory(ops).verdict).toBe('not-linearizable');
  });
});

test.describe('rejects anomalies', () => {
  const cases = {
    'stale read': history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3]), get('p3', 'x', [4, 5])),
    'lost write: an acknowledged write is not visible': history(put('p1', 'x', [0, 1]), get('p2', null, [2, 3])),
    'read from the future': history(get('p1', 'x', [0, 1]), put('p2', 'x', [2, 3])),
    'read of a value never written': history(put('p1', 'x', [0, 1]), get('p2', 'z', [2, 3])),
    'impossible order: two reads see the writes in opposite orders': history(
      put('p1', 'x', [0, 1]), put('p2', 'y', [0, 10]), get('p3', 'y', [2, 3]), get('p3', 'x', [4, 5]),
    ),
    'value flips back without a write': history(
      put('p1', 'x', [0, 1]), put('p1', 'y', [2, 3]), get('p2', 'y', [4, 5]), get('p2', 'x', [6, 7]),
    ),
    'a failed write took effect': history(put('p1', 'x', [0, 1]), put('p2', 'y', [2, 3], { outcome: 'fail' }), get('p3', 'y', [4, 5])),
    'three reads need three info deletes, but only two were issued': history(
      put('p1', 'a', [0, 1]), get('p2', null, [2, 3]), del('p3', [0, 1], { outcome: 'info' }), del('p4', [0, 1], { outcome: 'info' }),
      put('p1', 'b', [11, 12]), get('p2', null, [13, 14]), put('p1', 'c', [15, 16]), get('p2', null, [17, 18]),
    ),
    'an info write applied twice': history(
      put('p1', 'y', [0, 1], { outcome: 'info' }), get('p2', 'y', [2, 3]), put('p3', 'z', [4, 5]), get('p2', 'y', [6, 7]),
    ),
    'cas: two swaps from the same value both succeed': history(
      put('p1', 'a', [0, 1]), cas('p2', 'a', 'b', [2, 3]), cas('p3', 'a', 'c', [4, 5]),
    ),
    'cas: swap succeeds although the value differs': history(put('p1', 'a', [0, 1]), cas('p2', 'z', 'b', [2, 3])),
    'cas: reported failed but its value is read': history(
      put('p1', 'a', [0, 1]), cas('p2', 'a', 'b', [2, 3], { outcome: 'fail' }), get('p3', 'b', [4, 5]),
    ),
    'read absent after a write, with initial state': history(get('p1', null, [0, 1])),
  };
  for (const [title, ops] of Object.entries(cases)) {
    test(title, () => {
      const initial = title.endsWith('with initial state') ? { k: 'seed' } : undefined;
      const result = checkHistory(ops, initial ? { initial } : {});
      expect(result.verdict).toBe('not-linearizable');
      expect(result.keys.find((k) => k.key === 'k')?.failure?.message).toContain('Key "k" is not linearizable');
    });
  }

  test('only the broken key fails; the others keep their own verdict', () => {
    const result = checkHistory(history(
      put('p1', 'x', [0, 1], { key: 'good' }), get('p2', 'x', [2, 3], { key: 'good' }),
      put('p1', 'x', [0, 1], { key: 'bad' }), get('p2', 'nope', [2, 3], { key: 'bad' }),
    ));
    expect(result.keys.map((k) => [k.key, k.verdict])).toEqual([['good', 'linearizable'], ['bad', 'not-linearizable']]);
  });
});

test.describe('failure reports', () => {
  test('name the key, operations, processes, values and times in ms', () => {
    const result = checkHistory(history(put('c1', 'x', [0, 1]), put('c2', 'y', [2, 3.5]), get('c3', 'x', [4, 5])));
    const failure = result.keys[0]!.failure!;
    expect(failure.ops.map((o) => o.id)).toEqual([0, 1, 2]);
    expect(failure.message).toContain('#0 process "c1" put "x" ok, 0.000 ms – 1.000 ms');
    expect(failure.message).toContain('#1 process "c2" put "y" ok, 2.000 ms – 3.500 ms');
    expect(failure.message).toContain('#2 process "c3" get → "x" ok, 4.000 ms – 5.000 ms');
    expect(failure.message).toContain('stale read: #2 read "x" although #1 had already replaced it with "y"');
  });

  test('stop at the smallest failing prefix and keep only the operations involved', () => {
    const ops = history(
      put('p1', 'a', [0, 1]), get('p2', 'a', [2, 3]), put('p1', 'b', [4, 5]), put('p3', 'c', [4.5, 9]),
      get('p2', 'a', [6, 7]), // stale: b replaced a before this read began
      get('p2', 'c', [10, 11]), put('p1', 'd', [12, 13]), get('p2', 'zzz', [14, 15]),
    );
    const failure = checkHistory(ops).keys[0]!.failure!;
    expect(failure.until).toBe(7);
    expect(failure.prefix).toEqual([0, 1, 2, 3, 4]);
    // Either "put a" or the first "get a" pins a before "put b": both are minimal.
    expect(failure.ops.map((o) => o.id)).toEqual(expect.arrayContaining([2, 4]));
    expect(failure.ops).toHaveLength(3);
    expect(failure.message).toContain('stale read: #4 read "a" although #2 had already replaced it with "b"');
    expect(failure.minimal).toBe(true);
    expect(failure.message).toContain('the history up to 7.000 ms (5 of 8 operations)');
  });

  test('a write still running at the cut is shown as such', () => {
    const ops = history(put('p1', 'a', [0, 1]), put('p2', 'b', [2, 30]), get('p3', 'zzz', [3, 4]));
    const failure = checkHistory(ops).keys[0]!.failure!;
    expect(failure.until).toBe(4);
    expect(failure.message).toContain('read "zzz", a value no operation on key "k" wrote');
  });

  test('a read of a value that is written only later says so', () => {
    const failure = checkHistory(history(get('p1', 'x', [0, 1]), put('p2', 'x', [2, 3]))).keys[0]!.failure!;
    expect(failure.message).toContain('#0 read "x" before any write of it began (first at 2.000 ms)');
  });
});

test('a record that completes before it is invoked is refused with the rule and the fix', () => {
  expect(() => checkHistory(history(put('p1', 'x', [5, 4])))).toThrow(
    /operation #0 must not complete before it is invoked \(invoke 5 ms, complete 4 ms\)\.\n  Fix: /,
  );
});

test.describe('search budget', () => {
  test('an exhausted budget is "unknown", never a pass, and says how to raise it', () => {
    const ops = history(put('p1', 'x', [0, 1]), put('p2', 'y', [0, 1]), get('p3', 'y', [2, 3]), get('p3', 'y', [4, 5]));
    const result = checkHistory(ops, { maxStates: 1 });
    expect(result.verdict).toBe('unknown');
    expect(result.keys[0]!.reason).toContain('--budget');
    expect(checkHistory(ops).verdict).toBe('linearizable');
  });

  test('a time limit of zero gives "unknown" on a large history', () => {
    const ops = history(...Array.from({ length: 20_000 }, (_, i) => put('p1', `v${i}`, [i, i + 0.5])));
    const result = checkHistory(ops, { timeoutMs: 0 });
    expect(result.verdict).toBe('unknown');
    expect(result.keys[0]!.reason).toContain('--timeout');
  });
});
