// One client connection and its upstream, with the record of what happened to it.
import net from 'node:net';
import type { Socket } from 'node:net';
import { Direction } from './direction.ts';
import type { CloseCause, ConnectionRecord } from './link-records.ts';
import type { Shaping } from './shaping.ts';

/** What a connection needs from its proxy. */
export interface ConnectionOptions {
  id: number;
  client: Socket;
  target: { host: string; port: number };
  now: () => number;
  shaping: Shaping;
  faultAtAccept: string | null;
  onGone: (connection: ProxiedConnection) => void;
  /** When the connection was accepted, if earlier than now (a gate took the time before telling diallers apart). */
  acceptedAt?: number;
  /** Called when the target refused the upstream connection: nothing listens there any more. */
  onUpstreamRefused?: () => void;
}

/** Pipes a client to its upstream through two shaped directions; tears both down together. */
export class ProxiedConnection {
  readonly closed: Promise<void>;
  private readonly record: ConnectionRecord;
  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly toUpstream: Direction;
  private readonly toClient: Direction;
  private readonly now: () => number;
  private shaping: Shaping;
  private clientClosed = false;
  private upstreamClosed = false;
  /** An upstream failure seen while bytes are dropped is hidden from the client until the fault ends. */
  private clientTeardownPending = false;
  private resolveClosed!: () => void;

  constructor(private readonly options: ConnectionOptions) {
    const { client, target, now, shaping } = options;
    this.client = client;
    this.now = now;
    this.shaping = shaping;
    this.record = {
      id: options.id,
      acceptedAt: options.acceptedAt ?? now(),
      faultAtAccept: options.faultAtAccept,
      bytesToUpstream: 0,
      bytesToClient: 0,
      droppedToUpstream: 0,
      droppedToClient: 0,
    };
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));

    client.on('error', (error: NodeJS.ErrnoException) => {
      this.noteClose('client-error', error.code ?? error.message);
      this.upstream.destroy();
    });
    client.once('data', (chunk: Buffer) => {
      const line = requestLine(chunk);
      if (line) this.record.request = line;
    });
    client.on('end', () => this.noteClose('client-end'));
    client.on('close', (hadError) => {
      this.clientClosed = true;
      if (hadError) this.upstream.destroy();
      this.settle();
    });

    this.upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.upstream.on('connect', () => {
      this.record.upstreamConnectedAt = this.now();
      this.toUpstream.attach(this.upstream);
    });
    this.upstream.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      if (this.record.upstreamConnectedAt === undefined && !this.record.upstreamError) {
        this.record.upstreamError = { at: this.now(), code, message: error.message };
        if (code === 'ECONNREFUSED') this.options.onUpstreamRefused?.();
      }
      if (this.shaping.kind === 'drop') {
        this.clientTeardownPending = true;
        return;
      }
      this.noteClose('upstream-error', code);
      this.client.destroy();
    });
    this.upstream.on('end', () => {
      if (this.shaping.kind !== 'drop') this.noteClose('upstream-end');
    });
    this.upstream.on('close', () => {
      this.upstreamClosed = true;
      this.settle();
    });

    this.toUpstream = new Direction(client, now, shaping);
    this.toClient = new Direction(this.upstream, now, shaping);
    this.toClient.attach(client);
  }

  /** A copy of the record with current byte counts. */
  snapshot(): ConnectionRecord {
    return {
      ...this.record,
      ...(this.record.upstreamError ? { upstreamError: { ...this.record.upstreamError } } : {}),
      bytesToUpstream: this.toUpstream.forwarded,
      bytesToClient: this.toClient.forwarded,
      droppedToUpstream: this.toUpstream.dropped,
      droppedToClient: this.toClient.dropped,
    };
  }

  /** Applies a new fault to both directions; leaving "drop" releases any hidden upstream failure. */
  setShaping(shaping: Shaping): void {
    const wasDropping = this.shaping.kind === 'drop';
    this.shaping = shaping;
    this.toUpstream.setShaping(shaping);
    this.toClient.setShaping(shaping);
    if (wasDropping && shaping.kind !== 'drop') {
      if (this.clientTeardownPending) {
        this.noteClose('upstream-error', this.record.upstreamError?.code ?? 'upstream closed during blackhole');
        this.client.destroy();
      } else if (this.upstreamClosed || this.upstream.readableEnded) {
        this.noteClose('upstream-end');
      }
    }
  }

  /** Sends RST to the client and the upstream (a "reset" fault). */
  reset(): void {
    this.noteClose('reset-by-fault');
    resetSocket(this.client);
    resetSocket(this.upstream);
  }

  /** Drops both sockets without RST (`cut()` or a "refuse" start); `detail` says which. */
  cut(detail: string, cause: CloseCause = 'cut'): void {
    this.noteClose(cause, detail);
    this.client.destroy();
    this.upstream.destroy();
  }

  private noteClose(cause: CloseCause, detail?: string): void {
    if (this.record.closedBy) return;
    this.record.closedAt = this.now();
    this.record.closedBy = cause;
    if (detail !== undefined) this.record.closeDetail = detail;
  }

  private settle(): void {
    if (!this.clientClosed || !this.upstreamClosed) return;
    this.toUpstream.dispose();
    this.toClient.dispose();
    this.options.onGone(this);
    this.resolveClosed();
  }
}

/** "GET /raft/stream/msgapp/…" when a connection's first bytes are an HTTP/1 request line. */
export function requestLine(chunk: Buffer): string | undefined {
  return /^([A-Z]{3,7} \S+) HTTP\/1\.[01]\r\n/.exec(chunk.subarray(0, 512).toString('latin1'))?.[1];
}

/** RST where the socket is connected; a socket still connecting is just destroyed. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) {
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
