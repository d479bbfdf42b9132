// Ports per Playwright parallelIndex, so parallel workers never collide; each port is probed first.
import net from 'node:net';

const RANGE = 400;

/**
 * Where this worker's ports start: FAULTLINE_PORT_BASE (default 20000) + parallelIndex x 400 — below
 * Linux's ephemeral range (32768+), where an outgoing connection could take a probed port before etcd binds it.
 */
export function workerPortBase(parallelIndex: number, base = Number(process.env.FAULTLINE_PORT_BASE ?? 20000)): number {
  return base + parallelIndex * RANGE;
}

/** Hands out free loopback ports from one worker's range, skipping any port already bound. */
export class PortAllocator {
  private next = 0;
  constructor(private readonly base: number) {}

  /** Allocates `count` free ports. */
  async allocate(count: number): Promise<number[]> {
    const ports: number[] = [];
    for (let tries = 0; ports.length < count; tries++) {
      if (tries >= RANGE) throw new Error(`No free loopback port in ${this.base}-${this.base + RANGE - 1}: set FAULTLINE_PORT_BASE to a free range.`);
      const port = this.base + (this.next++ % RANGE);
      if (await isFree(port)) ports.push(port);
    }
    return ports;
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
