// Re-listening after a "refuse" fault races other binders for the port, so binding retries briefly.
import net from 'node:net';
import { LOOPBACK } from './loopback.ts';
import { ProxyError } from './proxy-error.ts';

/** How long a busy port is retried before giving up. */
export interface ListenRetry {
  attempts: number;
  delayMs: number;
}

const defaultRetry: ListenRetry = { attempts: 20, delayMs: 25 };

/** Binds a fresh server on 127.0.0.1:`port`, retrying EADDRINUSE; resolves once listening. */
export async function listenLoopback(
  link: string,
  port: number,
  onConnection: (socket: net.Socket) => void,
  retry: ListenRetry = defaultRetry,
): Promise<net.Server> {
  for (let attempt = 1; ; attempt++) {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      // After listening, a server error must not crash the run; the proxy reports through records.
      server.on('error', () => {});
      return server;
    } catch (error) {
      server.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && attempt < retry.attempts) {
        await new Promise((r) => setTimeout(r, retry.delayMs));
        continue;
      }
      const busy = code === 'EADDRINUSE'
        ? ` (port in use after ${attempt} tries over ${attempt * retry.delayMs} ms); free the port or pass listenPort: 0 for an ephemeral one`
        : ` (${code ?? String(error)})`;
      throw new ProxyError(`fault proxy "${link}" could not listen on ${LOOPBACK}:${port}${busy}.`, { cause: error });
    }
  }
}

/** Closes a listener without waiting for its connections (the proxy tracks and ends those itself). */
export function stopListening(server: net.Server): void {
  server.close();
}
