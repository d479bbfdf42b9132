// Ports stay a run's for its whole life, across processes: a second allocator (another run) never
// gets them, not even while nothing listens on them, and gets them once their owner is gone.
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { isFree, lockName, PortAllocator, PortsExhaustedError, workerPortBase } from '../../runner/ports.ts';

const base = () => workerPortBase(test.info().parallelIndex) + 300;

test('two allocators from the same base never hand out the same port, though every port is free', async () => {
  const a = new PortAllocator(base());
  const b = new PortAllocator(base());
  try {
    const first = await a.allocate(6);
    const second = await b.allocate(6);
    expect(second.filter((p) => first.includes(p))).toEqual([]);
    // Nothing listens on A's ports (a killed node, before its restart): still A's.
    for (const p of first) expect(await isFree(p)).toBe(true);
    const third = await b.allocate(6);
    expect(third.filter((p) => first.includes(p))).toEqual([]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test("a worker's next test gets its own ports back first; closed, they are anyone's", async () => {
  const a = new PortAllocator(base());
  const b = new PortAllocator(base());
  try {
    const first = await a.allocate(4);
    a.recycle();
    expect(await a.allocate(4)).toEqual(first);
    await a.close();
    expect(await b.allocate(4)).toEqual(first);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('the lock dies with its owner process: the kernel releases it, no file is left', async () => {
  const port = base() + 50;
  const holder = execa(process.execPath, ['-e', `require('net').createServer().listen({ path: ${JSON.stringify(lockName(port))} }, () => console.log('locked'))`], { reject: false });
  await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
  const a = new PortAllocator(port);
  try {
    expect(await a.allocate(1)).not.toEqual([port]);
    holder.kill('SIGKILL');
    await holder;
    await a.close();
    const b = new PortAllocator(port);
    expect(await b.allocate(1)).toEqual([port]);
    await b.close();
  } finally {
    holder.kill('SIGKILL');
    await a.close();
  }
});

test('a port bound by anyone is skipped; no port left is an error that names the range and the fix', async () => {
  const port = base() + 80;
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const a = new PortAllocator(port, port + 3);
  try {
    const got = await a.allocate(2);
    expect(got).not.toContain(port);
    const err = await a.allocate(2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortsExhaustedError);
    expect(String(err)).toContain(`No free loopback port from ${port} up to ${port + 2}`);
    expect(String(err)).toContain('FAULTLINE_PORT_BASE');
  } finally {
    server.close();
    await a.close();
  }
});

test('shards of one suite start in ranges of their own: slots follow the workers of the shards before', () => {
  const bases = (shard: { current: number; total: number } | null, workers: number) => [...Array(workers).keys()].map((i) => workerPortBase(i, 20000, shard, workers, 32768));
  expect(bases(null, 2)).toEqual([20000, 20400]);
  expect(bases({ current: 1, total: 2 }, 2)).toEqual([20000, 20400]);
  expect(bases({ current: 2, total: 2 }, 2)).toEqual([20800, 21200]);
  const all = [1, 2, 3].flatMap((current) => bases({ current, total: 3 }, 2));
  expect(new Set(all).size).toBe(6);
});

test('slots past the ephemeral range wrap around below it (the locks keep the runs apart)', () => {
  // 20000..32767 holds 31 ranges of 400: slot 31 is slot 0 again, and no range reaches the ephemeral ports.
  expect(workerPortBase(0, 20000, { current: 16, total: 16 }, 2, 32768)).toBe(20000 + 30 * 400);
  expect(workerPortBase(1, 20000, { current: 16, total: 16 }, 2, 32768)).toBe(20000);
  for (let current = 1; current <= 40; current++) expect(workerPortBase(1, 20000, { current, total: 40 }, 4, 32768) + 400).toBeLessThanOrEqual(32768);
});
