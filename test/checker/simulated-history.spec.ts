// Larger histories from a simulated register (the benchmark's generator): real concurrency, info writes,
// thousands of operations — beyond the brute force, but the answer is known by construction.
import { expect, test } from '@playwright/test';
import { simulateRegisterHistory } from '../../bench/checker.bench.ts';
import { checkHistory } from '../../checker/index.ts';

const workload = { ops: 5_000, clients: 12, keys: 4, infoRate: 0.05 };

test('simulated register histories are linearizable', () => {
  for (const seed of [1, 2, 3]) {
    const result = checkHistory(simulateRegisterHistory({ ...workload, seed }));
    expect(result.keys.map((k) => k.failure?.message ?? k.reason).filter(Boolean), `seed ${seed}`).toEqual([]);
    expect(result.verdict, `seed ${seed}`).toBe('linearizable');
  }
});

test('one corrupted read in a long history is found, and it is among the reported operations', () => {
  for (const seed of [4, 5, 6]) {
    const ops = simulateRegisterHistory({ ...workload, seed });
    const reads = ops.filter((o) => o.op === 'get' && o.outcome === 'ok');
    const victim = reads[Math.floor(reads.length / 2)]!;
    // An older value of the same key: a stale read that no reordering can excuse.
    const older = ops.find((o) => o.key === victim.key && o.op === 'put' && o.outcome === 'ok' && o.complete < victim.invoke - 50);
    victim.result = older?.value ?? 'never-written';
    const key = checkHistory(ops).keys.find((k) => k.key === victim.key)!;
    expect(key.verdict, `seed ${seed}`).toBe('not-linearizable');
    // Relaxing the victim gives back the original, linearizable history, so every failing core holds it.
    expect(key.failure!.ops.map((o) => o.id), `seed ${seed}`).toContain(victim.id);
    expect(key.failure!.until, `seed ${seed}`).toBeLessThanOrEqual(victim.complete);
  }
});
