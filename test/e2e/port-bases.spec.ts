// The child runs' port ranges never overlap each other or the parent's workers, and stay below the
// machine's ephemeral range.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { childRange, PORT_BASES } from './port-bases.ts';

test('child port ranges are disjoint, clear of the parent workers and below the ephemeral range', () => {
  const [ephemeralLow] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const ranges: [string, [number, number]][] = [
    ['parent workers', [20000, 20000 + 2 * 400 - 1]],
    ...Object.entries(PORT_BASES).map(([name, base]) => [name, childRange(base, name === 'parallelSafety' ? 4 : name === 'twoRuns' ? 1 : 2)] as [string, [number, number]]),
  ];
  for (const [name, [, hi]] of ranges) expect(hi, `${name} ends below ${ephemeralLow}`).toBeLessThan(ephemeralLow!);
  const sorted = [...ranges].sort((a, b) => a[1][0] - b[1][0]);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]![1][0], `${sorted[i]![0]} starts after ${sorted[i - 1]![0]} ends`).toBeGreaterThan(sorted[i - 1]![1][1]);
});
