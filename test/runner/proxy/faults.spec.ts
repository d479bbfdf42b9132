import { test, expect } from '@playwright/test';
import { startClock } from '../../../runner/time/clock.ts';
import { FaultProxy } from '../../../runner/proxy/fault-proxy.ts';
import { describeFault, validateFault, type Fault } from '../../../runner/proxy/faults.ts';
import { ProxyError } from '../../../runner/proxy/proxy-error.ts';

test('describeFault names faults with their units', () => {
  expect(describeFault({ kind: 'latency', ms: 200, jitterMs: 50 })).toBe('latency(200ms ±50ms)');
  expect(describeFault({ kind: 'latency', ms: 200 })).toBe('latency(200ms)');
  expect(describeFault({ kind: 'bandwidth', bytesPerSecond: 1000 })).toBe('bandwidth(1000 bytes/s)');
  expect(describeFault({ kind: 'blackhole' })).toBe('blackhole');
});

test('validateFault rejects unknown kinds and bad numbers with the rule and the fix', () => {
  expect(() => validateFault({ kind: 'drop' } as unknown as Fault, 'l1')).toThrow(
    /fault for link "l1" must have a kind, one of "refuse", "reset", "blackhole", "latency", "bandwidth"; got "drop"/,
  );
  expect(() => validateFault({ kind: 'latency', ms: -1 }, 'l1')).toThrow(/latency "ms" must be a finite number ≥ 0 in milliseconds/);
  expect(() => validateFault({ kind: 'latency', ms: 5, jitterMs: Number.NaN }, 'l1')).toThrow(/"jitterMs"/);
  expect(() => validateFault({ kind: 'bandwidth', bytesPerSecond: 0 }, 'l1')).toThrow(/at least 1 byte\/s.*blackhole/);
  expect(validateFault({ kind: 'latency', ms: 0 }, 'l1')).toEqual({ kind: 'latency', ms: 0 });
});

test('a non-loopback target is rejected before anything listens', async () => {
  const clock = startClock();
  const start = (host: string) => FaultProxy.start({ name: 'c→n1', listenPort: 0, target: { host, port: 2379 }, clock });
  for (const host of ['10.0.0.1', 'example.com', '::1', '0.0.0.0']) {
    const error = await start(host).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as Error).message).toContain(`fault proxy only forwards to loopback`);
    expect((error as Error).message).toContain(`host "${host}"`);
  }
  await expect(FaultProxy.start({ name: 'x', listenPort: 70000, target: { host: '127.0.0.1', port: 1 }, clock })).rejects.toThrow(
    /listenPort must be an integer from 0 to 65535, got 70000/,
  );
});

test('setFault rejects a malformed fault and leaves the link unchanged', async () => {
  const proxy = await FaultProxy.start({ name: 'l', listenPort: 0, target: { host: '127.0.0.1', port: 9 }, clock: startClock() });
  try {
    await expect(proxy.setFault({ kind: 'latency' } as unknown as Fault)).rejects.toThrow(/latency "ms"/);
    expect(proxy.fault).toBeNull();
    expect(proxy.records.faults).toEqual([]);
  } finally {
    await proxy.close();
  }
});
