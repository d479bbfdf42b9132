import { test, expect } from '@playwright/test';
import net from 'node:net';
import { startClock, type Clock } from '../../../runner/time/clock.ts';
import { FaultProxy } from '../../../runner/proxy/fault-proxy.ts';
import { blindSpans, connectionAttempts, gaps, type LinkRecords } from '../../../runner/proxy/link-records.ts';
import { closedAt, roundTrip, startEcho, sleep, type EchoServer } from './helpers.ts';

let clock: Clock;
let echo: EchoServer;
let proxy: FaultProxy;

test.beforeEach(async () => {
  clock = startClock();
  echo = await startEcho();
  proxy = await FaultProxy.start({ name: 'client→echo', listenPort: 0, target: { host: '127.0.0.1', port: echo.port }, clock });
});

test.afterEach(async () => {
  await proxy.close();
  await echo.close();
});

async function connect(port: number): Promise<{ socket: net.Socket; calledAt: number; connectedAt: number }> {
  const calledAt = clock.now();
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  return { socket, calledAt, connectedAt: clock.now() };
}

test('a connection record matches the client’s own timestamps and byte counts', async () => {
  const { socket, calledAt, connectedAt } = await connect(proxy.port);
  const payload = 'y'.repeat(1000);
  expect((await roundTrip(socket, payload, 1000))?.length).toBe(1000);
  const endedAt = clock.now();
  const closed = closedAt(socket, clock);
  socket.end();
  const clientClosedAt = await closed;
  await sleep(20);
  const [record] = proxy.records.connections;
  expect(record!.acceptedAt).toBeGreaterThanOrEqual(calledAt);
  expect(record!.acceptedAt).toBeLessThanOrEqual(connectedAt + 3);
  expect(record!.upstreamConnectedAt).toBeGreaterThanOrEqual(record!.acceptedAt);
  expect(record!.upstreamConnectedAt).toBeLessThan(endedAt);
  expect(record).toMatchObject({ id: 1, closedBy: 'client-end', bytesToUpstream: 1000, bytesToClient: 1000, faultAtAccept: null });
  expect(record!.closedAt).toBeGreaterThanOrEqual(endedAt);
  expect(record!.closedAt).toBeLessThanOrEqual(Math.min(endedAt + 5, clientClosedAt + 1));
});

test('a close by the upstream is attributed to it, at the time the client sees it', async () => {
  const { socket } = await connect(proxy.port);
  await expect.poll(() => echo.sockets.size).toBe(1);
  const closed = closedAt(socket, clock);
  const serverEndedAt = clock.now();
  for (const s of echo.sockets) s.end();
  const clientClosedAt = await closed;
  const [record] = proxy.records.connections;
  expect(record).toMatchObject({ closedBy: 'upstream-end' });
  expect(record!.closedAt).toBeGreaterThanOrEqual(serverEndedAt);
  expect(record!.closedAt).toBeLessThanOrEqual(clientClosedAt + 1);
  expect(clientClosedAt - record!.closedAt!).toBeLessThan(5);
});

test('fault spans carry start and end times from the run clock', async () => {
  const before = clock.now();
  await proxy.setFault({ kind: 'latency', ms: 10, jitterMs: 2 });
  const during = clock.now();
  await sleep(50);
  await proxy.setFault({ kind: 'refuse' });
  await sleep(50);
  const beforeClear = clock.now();
  await proxy.clearFault();
  const after = clock.now();
  const { faults } = proxy.records;
  expect(faults.map((f) => f.description)).toEqual(['latency(10ms ±2ms)', 'refuse']);
  expect(faults[0]!.startedAt).toBeGreaterThanOrEqual(before);
  expect(faults[0]!.startedAt).toBeLessThanOrEqual(during);
  expect(faults[0]!.endedAt).toBe(faults[1]!.startedAt);
  expect(faults[1]!.endedAt).toBeGreaterThanOrEqual(beforeClear);
  expect(faults[1]!.endedAt).toBeLessThanOrEqual(after);
  expect(blindSpans(proxy.records)).toEqual([{ from: faults[1]!.startedAt, to: faults[1]!.endedAt }]);
});

test('a retrying client’s reconnect gaps are recovered from the records (black-box)', async () => {
  await proxy.setFault({ kind: 'reset' });
  const waits = [100, 200, 400];
  const clientAttempts: number[] = [];
  // A client the test does not inspect: it reconnects after each reset, waiting 100, 200, 400 ms.
  for (let i = 0; i <= waits.length; i++) {
    clientAttempts.push(clock.now());
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise<void>((resolve) => {
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    if (i < waits.length) await sleep(waits[i]!);
  }
  const attempts = connectionAttempts(proxy.records);
  expect(attempts).toHaveLength(4);
  const observed = gaps(attempts);
  const own = gaps(clientAttempts);
  for (let i = 0; i < waits.length; i++) {
    // Within 15 ms of what the client really did; a loaded host may only make the client's sleeps late.
    expect(Math.abs(observed[i]! - own[i]!)).toBeLessThanOrEqual(15);
    expect(observed[i]!).toBeGreaterThanOrEqual(waits[i]! - 15);
    expect(observed[i]!).toBeLessThanOrEqual(waits[i]! + 40);
  }
  expect(proxy.records.connections.every((c) => c.closedBy === 'reset-by-fault')).toBe(true);
});

test('connectionAttempts sorts, windows and gaps accept times', () => {
  const records: LinkRecords = {
    link: 'l', listenPort: 1, target: { host: '127.0.0.1', port: 2 }, faults: [],
    connections: [30, 10, 70, 150].map((acceptedAt, i) => ({
      id: i + 1, acceptedAt, faultAtAccept: null, bytesToUpstream: 0, bytesToClient: 0, droppedToUpstream: 0, droppedToClient: 0,
    })),
  };
  expect(connectionAttempts(records)).toEqual([10, 30, 70, 150]);
  expect(connectionAttempts(records, { from: 20, to: 100 })).toEqual([30, 70]);
  expect(gaps(connectionAttempts(records))).toEqual([20, 40, 80]);
  expect(gaps([5])).toEqual([]);
});
