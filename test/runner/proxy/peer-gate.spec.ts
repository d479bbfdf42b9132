// A gate in the link host follows its member: a dial is refused while nothing listens behind it, as it
// would be without the gate; once the member listens the gate forwards, records and faults its links.
import { expect } from '@playwright/test';
import { test } from '../../../runner/fixture.ts';
import net from 'node:net';
import { startClock } from '../../../runner/time/clock.ts';
import { LinkHost, ProxyError } from '../../../runner/proxy/index.ts';

/** Connects and sends one line; resolves with the first thing that happened. */
function dial(port: number): Promise<'refused' | 'echoed' | 'closed'> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'closed'));
    s.on('connect', () => s.write('GET /members HTTP/1.1\r\n\r\n'));
    s.on('data', () => (resolve('echoed'), s.destroy()));
    s.on('close', () => resolve('closed'));
  });
}

async function until(what: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new ProxyError('the gate did not reach the expected state within 3s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a gate refuses while its member does not listen, forwards once it does, and refuses again after it stops', async ({ faultlinePorts }) => {
  const [gatePort, memberPort] = await faultlinePorts.allocate(2);
  const host = await LinkHost.start(startClock());
  let member: net.Server | undefined;
  try {
    const { port, links } = await host.gate({ node: 'm', port: gatePort!, target: { host: '127.0.0.1', port: memberPort! }, dialers: [], unknownLink: 'unknown→m' });
    expect(port).toBe(gatePort);
    // Nothing listens behind the gate: the kernel refuses, as it would the member's own port.
    expect(await dial(port)).toBe('refused');
    member = net.createServer((s) => s.pipe(s).on('error', () => {}));
    await new Promise<void>((r) => member!.listen(memberPort, '127.0.0.1', r));
    await until(async () => (await dial(port)) === 'echoed');
    await host.sync();
    expect(links[0]!.records.connections.some((c) => c.request === 'GET /members' && c.upstreamConnectedAt !== undefined)).toBe(true);
    // The member stops: the first dial after finds it gone (and is recorded), then the gate stops listening too.
    await new Promise((r) => member!.close(r));
    member = undefined;
    await until(async () => (await dial(port)) === 'refused');
    await host.sync();
    expect(links[0]!.records.connections.some((c) => c.upstreamError?.code === 'ECONNREFUSED')).toBe(true);
  } finally {
    await host.close();
    await new Promise((r) => (member ? member.close(r) : r(undefined)));
  }
});
