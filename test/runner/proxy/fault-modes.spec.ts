import { test, expect } from '@playwright/test';
import net from 'node:net';
import { startClock } from '../../../runner/time/clock.ts';
import { FaultProxy } from '../../../runner/proxy/fault-proxy.ts';
import { connectEcho, firstEvent, probe, roundTrip, startEcho, sleep, type EchoServer } from './helpers.ts';

let echo: EchoServer;
let proxy: FaultProxy;

test.beforeEach(async () => {
  echo = await startEcho();
  proxy = await FaultProxy.start({ name: 'client→echo', listenPort: 0, target: { host: '127.0.0.1', port: echo.port }, clock: startClock() });
});

test.afterEach(async () => {
  await proxy.close();
  await echo.close();
});

test('without a fault bytes are forwarded both ways', async () => {
  expect(await probe(proxy.port, 'ping')).toMatchObject({ kind: 'data', data: 'ping' });
});

test('refused, reset and hanging are distinct to a client', async () => {
  await proxy.setFault({ kind: 'refuse' });
  const refused = await probe(proxy.port);
  await proxy.setFault({ kind: 'reset' });
  const reset = await probe(proxy.port);
  await proxy.setFault({ kind: 'blackhole' });
  const hanging = await probe(proxy.port, 'ping', 500);
  expect(refused).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
  expect(reset).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
  expect(hanging).toEqual({ kind: 'hang' });
});

test('refuse cuts established connections and re-listens on the same port when cleared', async () => {
  const port = proxy.port;
  const established = await connectEcho(port);
  const seen = firstEvent(established, 1000);
  await proxy.setFault({ kind: 'refuse' });
  expect((await seen).kind).not.toBe('hang');
  expect(await probe(port)).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
  await proxy.clearFault();
  expect(proxy.port).toBe(port);
  expect(await probe(port, 'back')).toMatchObject({ kind: 'data', data: 'back' });
  const records = proxy.records;
  expect(records.connections[0]).toMatchObject({ closedBy: 'cut', closeDetail: 'fault refuse started' });
  expect(records.faults[0]).toMatchObject({ description: 'refuse', attemptsObservable: false });
  expect(records.faults[0]!.note).toContain('not observable at the proxy');
  // The refused probe never reached the proxy: only the established and the final connection exist.
  expect(records.connections).toHaveLength(2);
});

test('reset sends RST on established and on new connections, and records the new ones', async () => {
  const established = await connectEcho(proxy.port);
  const seen = firstEvent(established, 1000);
  await proxy.setFault({ kind: 'reset' });
  expect(await seen).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
  expect(await probe(proxy.port)).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
  const [first, second] = proxy.records.connections;
  expect(first).toMatchObject({ closedBy: 'reset-by-fault', faultAtAccept: null });
  expect(second).toMatchObject({ closedBy: 'reset-by-fault', faultAtAccept: 'reset', bytesToUpstream: 0 });
  await proxy.clearFault();
  expect(await probe(proxy.port, 'ok')).toMatchObject({ kind: 'data', data: 'ok' });
});

test('blackhole drops bytes on established connections and resumes them when cleared', async () => {
  const established = await connectEcho(proxy.port);
  await proxy.setFault({ kind: 'blackhole' });
  const quiet = firstEvent(established, 500);
  established.write('lost');
  expect(await quiet).toEqual({ kind: 'hang' });
  await proxy.clearFault();
  expect(await roundTrip(established, 'again', 1000)).toBe('again');
  const record = proxy.records.connections[0]!;
  expect(record.droppedToUpstream).toBe(4);
  expect(record.closedAt).toBeUndefined();
});

test('blackhole keeps new connections hanging even when the upstream is down', async () => {
  await echo.close();
  await proxy.setFault({ kind: 'blackhole' });
  const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
  const outcome = await firstEvent(socket, 500, () => socket.write('x'));
  expect(outcome).toEqual({ kind: 'hang' });
  const closed = firstEvent(socket, 1000);
  await proxy.clearFault();
  expect((await closed).kind).toBe('close');
  expect(proxy.records.connections[0]).toMatchObject({ upstreamError: { code: 'ECONNREFUSED' }, closedBy: 'upstream-error' });
});

test('an unreachable upstream closes the client and is recorded', async () => {
  await echo.close();
  expect((await probe(proxy.port)).kind).toBe('close');
  expect(proxy.records.connections[0]).toMatchObject({ closedBy: 'upstream-error', closeDetail: 'ECONNREFUSED' });
});

test('latency delays each direction by at least the asked time', async () => {
  const socket = await connectEcho(proxy.port);
  try {
    await proxy.setFault({ kind: 'latency', ms: 100 });
    const started = performance.now();
    expect(await roundTrip(socket, 'slow', 2000)).toBe('slow');
    const rtt = performance.now() - started;
    expect(rtt).toBeGreaterThanOrEqual(200);
    expect(rtt).toBeLessThan(300);
    await proxy.clearFault();
    const fast = performance.now();
    expect(await roundTrip(socket, 'fast', 1000)).toBe('fast');
    expect(performance.now() - fast).toBeLessThan(50);
  } finally {
    socket.destroy();
  }
});

test('latency with jitter keeps byte order', async () => {
  const socket = await connectEcho(proxy.port);
  try {
    await proxy.setFault({ kind: 'latency', ms: 40, jitterMs: 35 });
    const expected = Array.from({ length: 60 }, (_, i) => `<${i}>`).join('');
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    for (let i = 0; i < 60; i++) {
      socket.write(`<${i}>`);
      await sleep(1);
    }
    await expect.poll(() => got, { timeout: 3000 }).toBe(expected);
  } finally {
    socket.destroy();
  }
});

test('bandwidth limits throughput to roughly the asked rate', async () => {
  const socket = await connectEcho(proxy.port);
  try {
    await proxy.setFault({ kind: 'bandwidth', bytesPerSecond: 100_000 });
    const payload = 'x'.repeat(150_000);
    const started = performance.now();
    expect((await roundTrip(socket, payload, 5000))?.length).toBe(payload.length);
    const seconds = (performance.now() - started) / 1000;
    // 150 kB at 100 kB/s per direction, pipelined: about 1.5 s.
    expect(seconds).toBeGreaterThan(1.3);
    expect(seconds).toBeLessThan(2.2);
    await proxy.clearFault();
    const fast = performance.now();
    expect((await roundTrip(socket, payload, 5000))?.length).toBe(payload.length);
    expect(performance.now() - fast).toBeLessThan(300);
  } finally {
    socket.destroy();
  }
});

test('cut closes every established connection and keeps accepting new ones', async () => {
  const a = await connectEcho(proxy.port);
  const b = await connectEcho(proxy.port);
  const seenA = firstEvent(a, 1000);
  const seenB = firstEvent(b, 1000);
  expect(proxy.cut()).toBe(2);
  expect(['close', 'error']).toContain((await seenA).kind);
  expect(['close', 'error']).toContain((await seenB).kind);
  expect(proxy.records.connections.map((c) => c.closedBy)).toEqual(['cut', 'cut']);
  expect(await probe(proxy.port, 'new')).toMatchObject({ kind: 'data', data: 'new' });
});

for (const fault of [null, { kind: 'latency', ms: 5 }] as const) {
  test(`backpressure: a stalled upstream stops the proxy reading (${fault ? 'latency' : 'no fault'})`, async () => {
    const sink = await startEcho({ echo: false });
    const slow = await FaultProxy.start({ name: 'client→sink', listenPort: 0, target: { host: '127.0.0.1', port: sink.port }, clock: startClock() });
    try {
      if (fault) await slow.setFault(fault);
      const socket = net.connect({ host: '127.0.0.1', port: slow.port });
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      await expect.poll(() => sink.sockets.size).toBe(1);
      const [server] = [...sink.sockets];
      server!.pause();
      const total = 64 * 1024 * 1024;
      socket.write(Buffer.alloc(total));
      await sleep(500);
      // Kernel buffers hold a few MB; if the proxy kept reading, the client's buffer would be empty.
      expect(socket.writableLength).toBeGreaterThan(total / 2);
      server!.resume();
      await expect.poll(() => sink.received(), { timeout: 10_000 }).toBe(total);
      socket.destroy();
    } finally {
      await slow.close();
      await sink.close();
    }
  });
}
