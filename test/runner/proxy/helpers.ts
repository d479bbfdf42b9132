// Tiny real peers for the proxy tests: an echo server and a client that reports what it observed.
import net from 'node:net';
import type { Clock } from '../../../runner/time/clock.ts';

/** A loopback echo server; `pause()` stops reading to exercise backpressure. */
export interface EchoServer {
  port: number;
  sockets: Set<net.Socket>;
  received(): number;
  close(): Promise<void>;
}

/** Starts an echo server on an ephemeral loopback port (or a byte sink with `echo: false`). */
export async function startEcho(options: { echo?: boolean } = {}): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (options.echo !== false) socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    received: () => received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a client saw first after connecting and sending. */
export type Outcome =
  | { kind: 'data'; data: string; at: number }
  | { kind: 'error'; code: string; at: number }
  | { kind: 'close'; at: number }
  | { kind: 'hang' };

/** Connects, sends `send`, and reports the first event within `waitMs` (ms); always destroys the socket. */
export async function probe(port: number, send = 'ping', waitMs = 500): Promise<Outcome> {
  const socket = net.connect({ host: '127.0.0.1', port });
  try {
    return await firstEvent(socket, waitMs, () => socket.write(send));
  } finally {
    socket.destroy();
  }
}

/** Waits for the first data, error or close on `socket` for up to `waitMs` ms. */
export function firstEvent(socket: net.Socket, waitMs: number, onConnect?: () => void): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ kind: 'hang' }), waitMs);
    const at = () => performance.now() - started;
    if (onConnect) socket.once('connect', onConnect);
    socket.once('data', (d) => done({ kind: 'data', data: d.toString(), at: at() }));
    socket.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? e.message, at: at() }));
    socket.once('close', () => done({ kind: 'close', at: at() }));
  });
}

/** An open client connection with an echo round trip already verified. */
export async function connectEcho(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const reply = await roundTrip(socket, 'hello', 1000);
  if (reply !== 'hello') throw new Error(`echo through proxy returned ${JSON.stringify(reply)}, expected "hello"`);
  return socket;
}

/** Sends `text` and collects exactly that many bytes back; null if they do not arrive within `waitMs` ms. */
export function roundTrip(socket: net.Socket, text: string, waitMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString();
      if (got.length >= text.length) finish(got);
    };
    const finish = (value: string | null) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(value);
    };
    const timer = setTimeout(() => finish(null), waitMs);
    socket.on('data', onData);
    socket.write(text);
  });
}

/** Resolves with the clock time at which `socket` closes. */
export function closedAt(socket: net.Socket, clock: Clock): Promise<number> {
  return new Promise((resolve) => socket.once('close', () => resolve(clock.now())));
}

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
