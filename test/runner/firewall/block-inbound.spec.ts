// The seed's port block (`-p tcp --dport P -j DROP`) inside the run's chain: what it stops, and what it does not.
import { test, expect } from '@playwright/test';
import { Firewall, firewallCapability } from '../../../runner/firewall/index.ts';
import { allocatePorts, connectClient, hostRules, startServer, tryConnect, until } from './helpers.ts';

const capability = firewallCapability();
test.skip(!capability.usable, capability.reason);

test('a blocked port answers no SYN; unblock makes it reachable again', async () => {
  const before = await hostRules();
  const [port] = await allocatePorts(1);
  const server = await startServer(port!);
  const fw = await Firewall.create({ runId: test.info().testId });
  try {
    expect(await tryConnect(port!)).toBe('connected');
    await fw.blockInbound('node-1', [port!]);
    expect(await fw.rules()).toEqual([`-A ${fw.names.input} -p tcp -m tcp --dport ${port} -j DROP`]);
    // DROP, not REJECT: the SYN gets no answer at all, so the connect just hangs.
    expect(await tryConnect(port!, 500)).toBe('timeout');
    await fw.unblockInbound('node-1');
    expect(await fw.rules()).toEqual([]);
    expect(await tryConnect(port!)).toBe('connected');
  } finally {
    await fw.close();
    await server.close();
  }
  expect(await hostRules(fw.names.id)).toEqual(before);
});

test('established connections stop getting data too: DROP matches every packet, not only SYNs', async () => {
  const [port] = await allocatePorts(1);
  const server = await startServer(port!);
  const fw = await Firewall.create({ runId: test.info().testId });
  const client = await connectClient(port!);
  try {
    expect(await client.echo('before')).toBe(true);
    await fw.blockInbound('node-1', [port!]);
    expect(await client.echo('during', 500)).toBe(false);
    await fw.unblockInbound('node-1');
    // TCP retransmits what was dropped: the echo of "during" arrives once the block is gone.
    expect(await until(() => client.received().includes('during'), 5000)).toBe(true);
    expect(await client.echo('after', 2000)).toBe(true);
  } finally {
    client.socket.destroy();
    await fw.close();
    await server.close();
  }
});

test("the seed's inbound block is not a partition: the blocked server's own writes still arrive", async () => {
  const [port] = await allocatePorts(1);
  const server = await startServer(port!);
  const fw = await Firewall.create({ runId: test.info().testId });
  const client = await connectClient(port!);
  try {
    expect(await client.echo('hello')).toBe(true);
    await fw.blockInbound('node-1', [port!]);
    // The server's packets go to the client's ephemeral port, which no --dport rule names.
    expect(await until(() => client.received().includes('pushed'), 500, () => server.push('pushed'))).toBe(true);
  } finally {
    client.socket.destroy();
    await fw.close();
    await server.close();
  }
});

test('blockInbound is idempotent per key; another key adds its own rules; unblock of an unknown key is a no-op', async () => {
  const [p1, p2, p3] = await allocatePorts(3);
  const fw = await Firewall.create({ runId: test.info().testId });
  try {
    await fw.blockInbound('node-1', [p1!, p2!]);
    await fw.blockInbound('node-1', [p2!, p1!]);
    await fw.blockInbound('node-2', [p3!]);
    expect(await fw.rules()).toEqual([p1, p2, p3].map((p) => `-A ${fw.names.input} -p tcp -m tcp --dport ${p} -j DROP`));
    await expect(fw.blockInbound('node-1', [p1!])).rejects.toThrow(`blockInbound("node-1") is already in force for ports ${p1}, ${p2}, not ${p1}: call unblockInbound("node-1") first.`);
    await expect(fw.blockInbound('node-3', [70000])).rejects.toThrow(/integers from 1 to 65535, got 70000/);
    await fw.unblockInbound('node-1');
    await fw.unblockInbound('node-1');
    await fw.unblockInbound('never-blocked');
    expect(await fw.rules()).toEqual([`-A ${fw.names.input} -p tcp -m tcp --dport ${p3} -j DROP`]);
  } finally {
    await fw.close();
  }
});
