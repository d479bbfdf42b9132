import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startClock } from '../../../runner/time/clock.ts';
import { FaultProxy } from '../../../runner/proxy/fault-proxy.ts';
import { connectEcho, firstEvent, startEcho } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

test('close() is idempotent, ends connections and frees the port', async () => {
  const echo = await startEcho();
  const proxy = await FaultProxy.start({ name: 'c→echo', listenPort: 0, target: { host: '127.0.0.1', port: echo.port }, clock: startClock() });
  try {
    const socket = await connectEcho(proxy.port);
    const seen = firstEvent(socket, 1000);
    await Promise.all([proxy.close(), proxy.close()]);
    await proxy.close();
    expect(['close', 'error']).toContain((await seen).kind);
    expect(proxy.records.connections[0]).toMatchObject({ closedBy: 'proxy-closed' });
    expect(proxy.records.connections).toHaveLength(1);
    await expect(proxy.setFault({ kind: 'blackhole' })).rejects.toThrow(/fault proxy "c→echo" is closed/);
    expect(() => proxy.cut()).toThrow(/is closed; cut\(\) must come before close\(\)/);
    // The port is free again: a plain server can bind it.
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(proxy.port, '127.0.0.1', resolve);
    });
    await new Promise((r) => server.close(r));
  } finally {
    await echo.close();
  }
});

test('a given listenPort is used and kept across a refuse span', async () => {
  const echo = await startEcho();
  const probeServer = net.createServer();
  await new Promise<void>((r) => probeServer.listen(0, '127.0.0.1', r));
  const port = (probeServer.address() as net.AddressInfo).port;
  await new Promise((r) => probeServer.close(r));
  const proxy = await FaultProxy.start({ name: 'c→echo', listenPort: port, target: { host: '127.0.0.1', port: echo.port }, clock: startClock() });
  try {
    expect(proxy.port).toBe(port);
    await proxy.setFault({ kind: 'refuse' });
    await proxy.setFault({ kind: 'latency', ms: 1 });
    expect(proxy.port).toBe(port);
    await connectEcho(port).then((s) => s.destroy());
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('a busy listenPort fails with the port and the fix', async () => {
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    await expect(
      FaultProxy.start({ name: 'c→n1', listenPort: port, target: { host: '127.0.0.1', port: 1 }, clock: startClock() }),
    ).rejects.toThrow(new RegExp(`fault proxy "c→n1" could not listen on 127.0.0.1:${port} \\(port in use after 20 tries over 500 ms\\); .*listenPort: 0`));
  } finally {
    await new Promise((r) => busy.close(r));
  }
});

test('a process that closes its proxy exits on its own within a second', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'proxy-then-exit.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const closedAt = new Promise<number>((resolve) =>
    child.stdout.on('data', (d: Buffer) => d.toString().includes('closed') && resolve(performance.now())),
  );
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: performance.now() })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    const exit = await exited;
    expect(stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.at - (await closedAt)).toBeLessThan(1000);
  } finally {
    clearTimeout(killer);
  }
});
