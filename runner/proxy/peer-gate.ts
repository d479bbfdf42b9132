// One listener in front of a member's advertised peer port: hands each dial to the link of the member that made it.
// Why: a directed peer link i → j must be faulted and recorded alone, while all members dial j at one URL.
import type { Server, Socket } from 'node:net';
import { dialerUid } from './dialer.ts';
import type { FaultProxy } from './fault-proxy.ts';
import { listenLoopback } from './listen.ts';

/** How a gate tells diallers apart and where their links are. */
export interface PeerGateOptions {
  /** The member behind the gate, e.g. "node-2". */
  node: string;
  /** The advertised peer port the gate listens on. */
  port: number;
  /** The link a dialler's connections go through: by its uid; undefined uid → the "unknown" link. */
  linkFor(uid: number | undefined): FaultProxy;
}

/** A started gate; `close()` stops accepting (the links close their own connections). */
export class PeerGate {
  private constructor(
    readonly node: string,
    private readonly server: Server,
  ) {}

  /** Listens on 127.0.0.1:`port` and routes every accepted connection by the uid of its dialler. */
  static async start(options: PeerGateOptions): Promise<PeerGate> {
    const route = (socket: Socket) => {
      socket.on('error', () => {});
      // Synchronous on purpose: the dialler's first bytes must reach the link's record and fault.
      options.linkFor(dialerUid(socket)).adopt(socket);
    };
    const server = await listenLoopback(`gate ${options.node}`, options.port, route);
    return new PeerGate(options.node, server);
  }

  /** The port the gate listens on. */
  get port(): number {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  /** Stops listening; resolves once the listener is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
