// Real peers for the firewall tests: root servers and clients, peer processes under other uids, the host's rules.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { execa, type ResultPromise } from 'execa';
import { PortAllocator, workerPortBase } from '../../../runner/ports.ts';
import { iptables } from '../../../runner/firewall/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEER_SOURCE = fs.readFileSync(path.join(here, 'fixtures', 'peer.mjs'), 'utf8');

/** Free loopback ports from this worker's range (FAULTLINE_PORT_BASE + 400 x parallelIndex). */
export function allocatePorts(count: number): Promise<number[]> {
  return new PortAllocator(workerPortBase(test.info().parallelIndex)).allocate(count);
}

/**
 * `iptables -S` without other runs' FAULTLINE chains (parallel tests create their own), keeping `own`'s:
 * a leftover of ours shows up as a difference.
 */
export async function hostRules(own?: string): Promise<string[]> {
  const lines = (await iptables(['-S'])).split('\n').filter(Boolean);
  return lines.filter((l) => !/FAULTLINE-\d+-[0-9a-f]{6}/.test(l) || (own !== undefined && l.includes(own)));
}

/** A root TCP echo server on a given loopback port; `push` writes to every accepted connection. */
export interface Server {
  port: number;
  push(text: string): void;
  close(): Promise<void>;
}

export async function startServer(port: number): Promise<Server> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.on('data', (d) => s.write(d));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    push: (text) => sockets.forEach((s) => s.write(text)),
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** How a connection attempt ended within `ms` milliseconds. */
export type ConnectOutcome = 'connected' | 'timeout' | 'refused' | 'error';

/** Tries a TCP connect from this (root) process; always destroys the socket. */
export function tryConnect(port: number, ms = 500): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (o: ConnectOutcome) => {
      clearTimeout(timer);
      s.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => done('timeout'), ms);
    s.once('connect', () => done('connected'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'error'));
  });
}

/** A connected client socket that collects everything it receives. */
export interface Client {
  socket: net.Socket;
  received(): string;
  /** Sends `text` and waits until it has come back; false when it did not within `ms` milliseconds. */
  echo(text: string, ms?: number): Promise<boolean>;
}

export async function connectClient(port: number): Promise<Client> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return { socket, received: () => data, echo: (text, ms = 500) => until(() => data.includes(text), ms, () => socket.write(text)) };
}

/** Polls `cond` every 10 ms for up to `ms` milliseconds (after running `start`). */
export async function until(cond: () => boolean, ms: number, start?: () => void): Promise<boolean> {
  start?.();
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type PeerAnswer = { id: number; ok: boolean; conn?: number; error?: string; data?: string | null; uid?: number };

/** fixtures/peer.ts running as `uid`: an echo server on `port` plus client connections, driven over stdin. */
export class Peer {
  private readonly waiting = new Map<number, (a: PeerAnswer) => void>();
  private nextId = 1;
  readonly ready: Promise<PeerAnswer>;

  private constructor(
    readonly port: number,
    readonly uid: number,
    private readonly sub: ResultPromise,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set(0, resolve);
      void sub.then((r) => reject(new Error(`peer (uid ${uid}, port ${port}) exited with ${r.exitCode ?? r.signal}: ${String(r.stderr).slice(-500)}`)));
    });
    readline.createInterface({ input: sub.stdout! }).on('line', (line) => {
      const a = JSON.parse(line) as PeerAnswer;
      this.waiting.get(a.id)?.(a);
      this.waiting.delete(a.id);
    });
  }

  /** Spawns the peer in its own process group under uid:gid; wait for `ready` before use. */
  static start(port: number, uid: number, gid: number): Peer {
    // The code travels on the command line and cwd is /: the peer's uid may not enter the clone (a 0700 dir).
    const sub = execa(process.execPath, ['--input-type=module', '--eval', PEER_SOURCE, String(port)], {
      uid,
      gid,
      cwd: '/',
      env: { HOME: '/tmp' },
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'pipe',
      stderr: 'pipe',
    });
    return new Peer(port, uid, sub);
  }

  /** Sends one command and resolves with the peer's answer. */
  command(cmd: Record<string, unknown>): Promise<PeerAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.sub.stdin!.write(JSON.stringify({ id, ...cmd }) + '\n');
    });
  }

  /** Opens a client connection from this peer to `port`; the conn id, or the error when it did not connect. */
  async connect(port: number, ms = 500): Promise<number | string> {
    const a = await this.command({ op: 'connect', port, ms });
    return a.ok ? a.conn! : a.error!;
  }

  /** Echo round trip over one of this peer's client connections. */
  async echo(conn: number, text: string, ms = 500): Promise<boolean> {
    return (await this.command({ op: 'echo', conn, text, ms })).ok;
  }

  /** Everything this peer's client connection `conn` has received. */
  async received(conn: number): Promise<string> {
    return (await this.command({ op: 'received', conn })).data ?? '';
  }

  /** Kills the peer's whole process group and waits for it. */
  async kill(): Promise<void> {
    try {
      process.kill(-this.sub.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.sub.catch(() => {});
  }
}
