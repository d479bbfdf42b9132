// The run's chains: created with their loopback jumps, removed exactly (and only) by close(), even after a failure.
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { startClock } from '../../../runner/time/clock.ts';
import { EventLog } from '../../../runner/records/events.ts';
import { Firewall, firewallCapability, iptables, iptablesRestore } from '../../../runner/firewall/index.ts';
import { allocatePorts, hostRules, startServer, tryConnect } from './helpers.ts';

const capability = firewallCapability();

test('without root the capability says so, worded as the fix', () => {
  const c = firewallCapability({ uid: 1000 });
  expect(c.usable).toBe(false);
  expect(c.reason).toMatch(/needs root \(this process runs as uid 1000\): run the tests as root/);
});

test.describe('as root', () => {
  test.skip(!capability.usable, capability.reason);

  test('create adds two chains and their loopback jumps; close removes them all', async () => {
    const before = await hostRules();
    const events = new EventLog(startClock());
    const fw = await Firewall.create({ runId: test.info().testId, events });
    try {
      const during = await hostRules(fw.names.id);
      const added = during.filter((l) => !before.includes(l));
      expect(added.sort()).toEqual([
        expect.stringMatching(new RegExp(`^-A INPUT -i lo -m comment --comment "?faultline:pid=${process.pid}:start=\\d+:run=[\\w.-]+"? -j ${fw.names.input}$`)),
        expect.stringMatching(new RegExp(`^-A OUTPUT -o lo -m comment --comment "?faultline:pid=${process.pid}:start=\\d+:run=[\\w.-]+"? -j ${fw.names.output}$`)),
        `-N ${fw.names.input}`,
        `-N ${fw.names.output}`,
      ]);
      expect(before.filter((l) => !during.includes(l))).toEqual([]);
      // Inserted first, so no host rule that accepts loopback can shadow them (other runs' jumps,
      // inserted meanwhile by parallel tests, may come before ours).
      const input = (await iptables(['-S', 'INPUT'])).split('\n').filter((l) => l.startsWith('-A '));
      const ours = input.findIndex((l) => l.includes(`-j ${fw.names.input}`));
      expect(ours).toBeGreaterThanOrEqual(0);
      expect(input.slice(0, ours).filter((l) => !l.includes('faultline:pid='))).toEqual([]);
      expect(fw.names.output.length).toBeLessThanOrEqual(28);
      expect(await fw.rules()).toEqual([]);
    } finally {
      await fw.close();
    }
    expect(await hostRules(fw.names.id)).toEqual(before);
    await fw.close();
    expect(events.events.map((e) => (e.kind === 'firewall' ? e.action : e.kind))).toEqual(['create', 'close']);
    await expect(fw.blockInbound('x', [1])).rejects.toThrow(/is closed: blockInbound\(\) must come before close\(\)/);
  });

  test('a failing test body still leaves nothing behind (close in finally)', async () => {
    const before = await hostRules();
    const [port] = await allocatePorts(1);
    let fw: Firewall | undefined;
    const body = async () => {
      fw = await Firewall.create({ runId: 'failing-body' });
      try {
        await fw.blockInbound('node-1', [port!]);
        await fw.partition([[{ uid: 60001, ports: [port! + 1] }], [{ uid: 60002, ports: [port! + 2] }]]);
        throw new Error('simulated test failure');
      } finally {
        await fw.close();
      }
    };
    await expect(body()).rejects.toThrow('simulated test failure');
    expect(await hostRules(fw!.names.id)).toEqual(before);
    await fw!.close();
  });

  test('two firewalls at once never touch each other', async () => {
    const before = await hostRules();
    const [pa, pb] = await allocatePorts(2);
    const [sa, sb] = await Promise.all([startServer(pa!), startServer(pb!)]);
    const a = await Firewall.create({ runId: 'a' });
    const b = await Firewall.create({ runId: 'b' });
    try {
      expect(a.names.id).not.toBe(b.names.id);
      await a.blockInbound('n', [pa!]);
      await b.blockInbound('n', [pb!]);
      expect(await a.rules()).toEqual([`-A ${a.names.input} -p tcp -m tcp --dport ${pa} -j DROP`]);
      expect(await b.rules()).toEqual([`-A ${b.names.input} -p tcp -m tcp --dport ${pb} -j DROP`]);
      await b.close();
      expect(await a.rules()).toEqual([`-A ${a.names.input} -p tcp -m tcp --dport ${pa} -j DROP`]);
      expect(await tryConnect(pa!)).toBe('timeout');
      expect(await tryConnect(pb!)).toBe('connected');
    } finally {
      await Promise.all([a.close(), b.close(), sa.close(), sb.close()]);
    }
    expect(await hostRules(a.names.id)).toEqual(before);
  });

  test('sweep removes the chains of a dead owner and keeps live ones', async () => {
    const dead = execa('true');
    const deadPid = dead.pid!;
    await dead;
    const name = `FAULTLINE-${deadPid}-abcdef`;
    const live = await Firewall.create({ runId: 'live' });
    try {
      // A leftover as a killed runner would leave it: chains, a jump with its owner comment, a rule.
      await iptablesRestore([
        `:${name}-in - [0:0]`,
        `:${name}-out - [0:0]`,
        `-A INPUT -i lo -m comment --comment faultline:pid=${deadPid}:start=1:run=dead -j ${name}-in`,
        `-A ${name}-in -p tcp --dport 1 -j DROP`,
      ]);
      const removed = await Firewall.sweep();
      expect(removed).toEqual(expect.arrayContaining([`${name}-in`, `${name}-out`]));
      expect(removed).not.toContain(live.names.input);
      const after = await iptables(['-S']);
      expect(after).not.toContain(name);
      expect(after).toContain(`-N ${live.names.input}`);
    } finally {
      await Firewall.removeChain(`${name}-in`);
      await Firewall.removeChain(`${name}-out`);
      await live.close();
    }
    expect(await Firewall.removeChain(`${name}-in`)).toBe(false);
  });
});
