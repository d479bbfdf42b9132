// Shared by the DOC-GAP tests: a port nothing listens on (a killed node), and what a call threw.
import net from 'node:net';

/** An address whose port was just free: connecting is refused, like a killed node's. */
export async function refusedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return `127.0.0.1:${port}`;
}

/** What a function threw (a matcher failure is Playwright's own ExpectError). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
