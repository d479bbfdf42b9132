// Ports a run owns across processes: each port handed out is locked by an abstract Unix socket that
// the kernel drops when its owner dies, so another Faultline run in the same network namespace never
// takes one of ours — not even while our node is down between a kill and its restart.
import fs from 'node:fs';
import net from 'node:net';
import { FaultlineError } from '../dsl/errors.ts';

const RANGE = 400;

/** A run's place among the shards of one suite (Playwright's `--shard=current/total`). */
export interface ShardPlace {
  current: number;
  total: number;
}

/**
 * Where this worker starts looking: FAULTLINE_PORT_BASE (default 20000) + slot x 400, the slot being the
 * worker's parallelIndex — after the workers of the shards before it when the run is one of several
 * (`--shard=2/2` with 2 workers: slots 2 and 3), so shards started on one machine begin in ranges of
 * their own. Slots past the ephemeral range wrap around: the locks, not the bases, keep runs apart.
 */
export function workerPortBase(parallelIndex: number, base = Number(process.env.FAULTLINE_PORT_BASE ?? 20000), shard?: ShardPlace | null, workers = 1, limit = ephemeralLow()): number {
  const slot = (shard ? (shard.current - 1) * Math.max(1, workers) : 0) + parallelIndex;
  const slots = Math.max(1, Math.floor((limit - base) / RANGE));
  return base + (slot % slots) * RANGE;
}

/** No port left between the base and the ephemeral range: says which range and how to get another. */
export class PortsExhaustedError extends FaultlineError {
  override name = 'PortsExhaustedError';
}

/** The first port the kernel may give an outgoing connection: a port from there up could be taken between our probe and a node's bind. */
export function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/** The abstract socket name that locks `port` (no file: nothing to clean up, gone with its owner). */
export function lockName(port: number): string {
  return `\0faultline-port-${port}`;
}

/**
 * Hands out loopback ports from the base upward that are bound by nobody and locked by no other run.
 * Every port stays this allocator's until close() (or its process's death): a node restarted on its
 * ports finds them free, and the next test of the worker reuses them first.
 */
export class PortAllocator {
  private readonly locks = new Map<number, net.Server>();
  private readonly handedOut = new Set<number>();

  constructor(
    private readonly base: number,
    private readonly limit = ephemeralLow(),
  ) {}

  /** Allocates `count` ports, locking each before it is handed out. */
  async allocate(count: number): Promise<number[]> {
    const ports: number[] = [];
    for (let port = Math.max(1024, this.base); ports.length < count; port++) {
      if (port >= this.limit) {
        for (const p of ports) this.handedOut.delete(p);
        throw new PortsExhaustedError(
          `No free loopback port from ${this.base} up to ${this.limit - 1} (the kernel's ephemeral range starts at ${this.limit}): every port is bound or locked by another run.\n  Fix: set FAULTLINE_PORT_BASE to a lower free range, or end the other runs.`,
        );
      }
      // Marked before any await: a second allocate() running meanwhile must not pick the same port.
      if (this.handedOut.has(port)) continue;
      this.handedOut.add(port);
      const owned = this.locks.has(port) || (await this.lock(port));
      if (owned && (await isFree(port))) ports.push(port);
      else this.handedOut.delete(port);
    }
    return ports;
  }

  /** Ports currently locked by this allocator, for tests and diagnostics. */
  get owned(): number[] {
    return [...this.locks.keys()].sort((a, b) => a - b);
  }

  /** Takes back every port handed out (their processes are gone); they stay locked for the next test. */
  recycle(): void {
    this.handedOut.clear();
  }

  /** Releases every lock: other runs may take the ports from now on. */
  async close(): Promise<void> {
    const servers = [...this.locks.values()];
    this.locks.clear();
    this.handedOut.clear();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private lock(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ path: lockName(port) }, () => {
        // The lock must never keep a finished worker alive.
        server.unref();
        this.locks.set(port, server);
        resolve(true);
      });
    });
  }
}

/** True when nothing listens on 127.0.0.1:port. */
export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
