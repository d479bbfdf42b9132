// A TCP proxy on one directed link (client → node or node → node) that injects faults and records
// every connection on the run's clock, so reconnect behaviour can be measured from the outside.
import type { Server, Socket } from 'node:net';
import type { Clock } from '../time/clock.ts';
import { ProxiedConnection, requestLine, resetSocket } from './connection.ts';
import { describeFault, validateFault, type Fault } from './faults.ts';
import { refuseNote, type ConnectionRecord, type FaultSpan, type LinkRecords } from './link-records.ts';
import { listenLoopback, stopListening } from './listen.ts';
import { requireLoopbackTarget, requirePort } from './loopback.ts';
import { ProxyError } from './proxy-error.ts';
import { shapingFor } from './shaping.ts';

/** How to start a proxy: `listenPort` 0 picks an ephemeral port; the target must be on loopback. */
export interface FaultProxyOptions {
  /** The link's stable name, e.g. "client→node-1"; used in records and errors. */
  name: string;
  listenPort: number;
  target: { host: string; port: number };
  /** The run's clock (or its `now`), so records share the run's timeline. */
  clock: Pick<Clock, 'now'> | (() => number);
  /** Called when the target refused a connection (a gate then stops listening until its member listens again). */
  onUpstreamRefused?: () => void;
}

/** How long a refused peer dial may take to send its request line before it is reset anyway. */
const FIRST_BYTES_WAIT_MS = 50;

/** A connection that was reset on accept has no upstream; its record is final at once. */
interface Entry {
  snapshot(): ConnectionRecord;
}

/** A started proxy; `close()` (or `await using`) releases the port and every socket. */
export class FaultProxy {
  readonly name: string;
  readonly target: { host: string; port: number };
  private readonly now: () => number;
  private readonly onUpstreamRefused?: () => void;
  private listenPort: number;
  private server: Server | undefined;
  private current: Fault | null = null;
  private readonly spans: FaultSpan[] = [];
  private readonly entries: Entry[] = [];
  private readonly active = new Set<ProxiedConnection>();
  private readonly rejected = new Set<Socket>();
  private nextId = 1;
  private ops: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** Fed by a gate (`adopt`) instead of its own listener: one directed peer link behind a shared port. */
  private detached = false;

  private constructor(options: FaultProxyOptions) {
    this.name = options.name;
    this.target = { ...options.target };
    this.listenPort = options.listenPort;
    const clock = options.clock;
    this.now = typeof clock === 'function' ? clock : () => clock.now();
    if (options.onUpstreamRefused) this.onUpstreamRefused = options.onUpstreamRefused;
  }

  /** Validates the options, listens on 127.0.0.1 and forwards to the target until closed. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    if (typeof options.name !== 'string' || options.name === '') {
      throw new ProxyError('fault proxy needs a non-empty "name" naming its link, e.g. "client→node-1".');
    }
    requirePort(options.name, 'listenPort', options.listenPort, 0);
    requireLoopbackTarget(options.name, options.target);
    if (typeof options.clock !== 'function' && typeof options.clock?.now !== 'function') {
      throw new ProxyError(`fault proxy "${options.name}" needs the run's "clock" (or a now() function) so its records share the run's timeline.`);
    }
    const proxy = new FaultProxy(options);
    await proxy.listen();
    return proxy;
  }

  /**
   * A link without a listener of its own: a gate hands it the connections one dialler made to a
   * shared port (`adopt`). "refuse" then resets each dial at once and records it, since the port
   * stays open for the other diallers.
   */
  static detachedLink(options: Omit<FaultProxyOptions, 'listenPort'> & { listenPort: number }): FaultProxy {
    if (typeof options.name !== 'string' || options.name === '') {
      throw new ProxyError('a peer link needs a non-empty "name", e.g. "node-1→node-2".');
    }
    requireLoopbackTarget(options.name, options.target);
    const proxy = new FaultProxy(options);
    proxy.detached = true;
    return proxy;
  }

  /** Takes over a connection a gate accepted for this link (at `acceptedAt` on the link's clock), under its current fault. */
  adopt(socket: Socket, acceptedAt?: number): void {
    if (!this.detached) throw new ProxyError(`fault proxy "${this.name}" listens itself; only a detached peer link adopts connections from a gate.`);
    this.accept(socket, acceptedAt);
  }

  /** The port clients connect to (stable across "refuse" spans). */
  get port(): number {
    return this.listenPort;
  }

  /** The fault now in effect, or null. */
  get fault(): Fault | null {
    return this.current;
  }

  /** A snapshot of everything the link recorded so far. */
  get records(): LinkRecords {
    return {
      link: this.name,
      listenPort: this.listenPort,
      target: { ...this.target },
      connections: this.entries.map((e) => e.snapshot()),
      faults: this.spans.map((s) => ({ ...s, fault: { ...s.fault } })),
    };
  }

  /** Replaces the link's fault; resolves once it is in effect (for "refuse": the port is closed). */
  async setFault(fault: Fault): Promise<void> {
    validateFault(fault, this.name);
    await this.serially(() => this.apply({ ...fault }));
  }

  /** Restores normal forwarding; resolves once new connections are accepted again. */
  clearFault(): Promise<void> {
    return this.serially(() => this.apply(null));
  }

  /** Drops every established connection now, as a fault start would; returns how many. */
  cut(): number {
    this.assertOpen('cut()');
    return this.cutAll('cut() called');
  }

  /** Closes the listener and every connection and waits for them; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ops.catch(() => {});
      this.endSpan();
      const server = this.server;
      this.server = undefined;
      const connections = [...this.active];
      for (const c of connections) c.cut('proxy closed', 'proxy-closed');
      for (const s of this.rejected) s.destroy();
      await Promise.all([
        ...connections.map((c) => c.closed),
        server ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined,
      ]);
    })();
    return this.closing;
  }

  /** `await using proxy = await FaultProxy.start(...)` closes it at scope end. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private serially(op: () => Promise<void>): Promise<void> {
    const run = this.ops.then(() => {
      this.assertOpen('setFault()/clearFault()');
      return op();
    });
    this.ops = run.catch(() => {});
    return run;
  }

  private async apply(next: Fault | null): Promise<void> {
    if (next?.kind !== 'refuse' && !this.server && !this.detached) await this.listen();
    // One instant ends the old span and starts the new, so spans tile the timeline without gaps.
    const at = this.now();
    this.endSpan(at);
    this.current = next;
    if (next) {
      const refuse = next.kind === 'refuse' && !this.detached;
      this.spans.push({
        fault: next,
        description: describeFault(next),
        startedAt: at,
        attemptsObservable: !refuse,
        ...(refuse ? { note: refuseNote } : {}),
      });
    }
    if (next?.kind === 'refuse') {
      if (this.server && !this.detached) stopListening(this.server);
      this.server = undefined;
      this.cutAll('fault refuse started');
      return;
    }
    if (next?.kind === 'reset') {
      for (const c of [...this.active]) c.reset();
      return;
    }
    const shaping = shapingFor(next);
    for (const c of this.active) c.setShaping(shaping);
  }

  private async listen(): Promise<void> {
    this.server = await listenLoopback(this.name, this.listenPort, (socket) => this.accept(socket));
    const address = this.server.address();
    if (address && typeof address === 'object') this.listenPort = address.port;
  }

  private accept(client: Socket, acceptedAt?: number): void {
    client.on('error', () => {});
    const id = this.nextId++;
    const fault = this.current;
    if (this.closing || (fault?.kind === 'refuse' && !this.detached)) {
      client.destroy();
      return;
    }
    if (fault?.kind === 'reset' || fault?.kind === 'refuse') {
      const at = acceptedAt ?? this.now();
      const record: ConnectionRecord = {
        id, acceptedAt: at, faultAtAccept: describeFault(fault), closedAt: at, closedBy: fault.kind === 'refuse' ? 'refused-by-fault' : 'reset-by-fault',
        bytesToUpstream: 0, bytesToClient: 0, droppedToUpstream: 0, droppedToClient: 0,
      };
      this.entries.push({ snapshot: () => ({ ...record }) });
      this.rejected.add(client);
      client.once('close', () => this.rejected.delete(client));
      if (!this.detached) {
        resetSocket(client);
        return;
      }
      // A peer link reads the dial's request line first (which stream it was), then resets it.
      const done = () => {
        clearTimeout(timer);
        record.closedAt = this.now();
        resetSocket(client);
      };
      const timer = setTimeout(done, FIRST_BYTES_WAIT_MS);
      client.once('data', (chunk: Buffer) => {
        const line = requestLine(chunk);
        if (line) record.request = line;
        done();
      });
      return;
    }
    const connection = new ProxiedConnection({
      id,
      client,
      target: this.target,
      now: this.now,
      shaping: shapingFor(fault),
      faultAtAccept: fault ? describeFault(fault) : null,
      onGone: (c) => this.active.delete(c),
      ...(acceptedAt !== undefined ? { acceptedAt } : {}),
      ...(this.onUpstreamRefused ? { onUpstreamRefused: this.onUpstreamRefused } : {}),
    });
    this.entries.push(connection);
    this.active.add(connection);
  }

  private cutAll(detail: string): number {
    const connections = [...this.active];
    for (const c of connections) c.cut(detail);
    return connections.length;
  }

  private endSpan(at = this.now()): void {
    const open = this.spans.at(-1);
    if (open && open.endedAt === undefined) open.endedAt = at;
  }

  private assertOpen(what: string): void {
    if (this.closing) {
      throw new ProxyError(`fault proxy "${this.name}" is closed; ${what} must come before close() — start a new proxy to keep using the link.`);
    }
  }
}
