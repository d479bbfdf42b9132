// One listener in front of a member's advertised peer port: hands each dial to the link of the member that made it.
// Why: a directed peer link i → j must be faulted and recorded alone, while all members dial j at one URL.
import type { Server, Socket } from 'node:net';
import { dialerUid } from './dialer.ts';
import type { FaultProxy } from './fault-proxy.ts';
import { isListening, listeningPorts } from './listening.ts';
import { listenLoopback, stopListening } from './listen.ts';
import { ProxyError } from './proxy-error.ts';

/** How often closed gates look whether their members listen (one read of the socket list for all of them). */
const FOLLOW_POLL_MS = 5;

/** Gates waiting for their member to listen, and the one timer that looks for all of them. */
const waiting = new Set<PeerGate>();
let poller: NodeJS.Timeout | undefined;

function pollWaiting(): void {
  const ports = listeningPorts();
  for (const gate of waiting) gate.notice(ports);
  if (!waiting.size) {
    clearInterval(poller);
    poller = undefined;
  }
}

/** How a gate tells diallers apart and where their links are. */
export interface PeerGateOptions {
  /** The member behind the gate, e.g. "node-2". */
  node: string;
  /** The advertised peer port the gate listens on (0: an ephemeral one, for a member already listening). */
  port: number;
  /** The link a dialler's connections go through: by its uid; undefined uid → the "unknown" link. */
  linkFor(uid: number | undefined): FaultProxy;
  /**
   * The member's own port. With it the gate listens only while the member does, so a dial to a member
   * not (yet) listening is refused at once by the kernel, as without a gate (see `memberGone()`).
   */
  follows?: number;
  /** The links' clock: a dial is timed when the gate accepts it, before the uid lookup (up to tens of ms under load). */
  now?: () => number;
}

/** A started gate; `close()` stops accepting (the links close their own connections). */
export class PeerGate {
  private server: Server | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly node: string,
    private readonly options: PeerGateOptions,
    private listenPort: number,
  ) {}

  /** Listens on 127.0.0.1:`port` (with `follows`: once the member listens) and routes each dial by its dialler's uid. */
  static async start(options: PeerGateOptions): Promise<PeerGate> {
    const gate = new PeerGate(options.node, options, options.port);
    if (options.follows === undefined || isListening(options.follows)) await gate.open();
    else if (options.port === 0) throw new ProxyError(`gate ${options.node}: a gate that follows its member needs a fixed port while the member (port ${options.follows}) is not listening yet.`);
    else gate.watch();
    return gate;
  }

  /** The port the gate listens on (the same across its member's restarts). */
  get port(): number {
    return this.listenPort;
  }

  /** True while the gate accepts dials. */
  get listening(): boolean {
    return this.server !== undefined;
  }

  /**
   * The member refused a connection: it no longer listens (killed, or stopped). The gate stops listening
   * too, so the next dials are refused as they would be without it, and listens again once the member does.
   */
  memberGone(): void {
    if (this.options.follows === undefined || this.closed || !this.server || isListening(this.options.follows)) return;
    stopListening(this.server);
    this.server = undefined;
    this.watch();
  }

  /** Stops listening; resolves once the listener is closed. */
  async close(): Promise<void> {
    this.closed = true;
    waiting.delete(this);
    await this.opening?.catch(() => {});
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(() => resolve(undefined)));
  }

  /** @internal The poller's view: opens the gate once its member's port is among the listening ones. */
  notice(ports: Set<number>): void {
    if (this.opening || this.closed || !ports.has(this.options.follows!)) return;
    waiting.delete(this);
    this.opening = this.open().finally(() => (this.opening = undefined));
  }

  private watch(): void {
    waiting.add(this);
    poller ??= setInterval(pollWaiting, FOLLOW_POLL_MS);
  }

  private async open(): Promise<void> {
    const route = (socket: Socket) => {
      socket.on('error', () => {});
      const at = this.options.now?.();
      // Synchronous on purpose: the dialler's first bytes must reach the link's record and fault.
      this.options.linkFor(dialerUid(socket)).adopt(socket, at);
    };
    const server = await listenLoopback(`gate ${this.node}`, this.listenPort, route);
    if (this.closed) return void server.close();
    this.server = server;
    const a = server.address();
    if (a && typeof a === 'object') this.listenPort = a.port;
  }
}
