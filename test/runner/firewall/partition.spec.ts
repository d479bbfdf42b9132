// Partition truth: three peers under three uids; node 1 is cut from 2 and 3 in both directions, for new and
// established connections, while 2 and 3 (and the root harness) still reach everyone; heal restores it all.
import { test, expect } from '@playwright/test';
import { ensureNodeUser, Firewall, firewallCapability, iptables } from '../../../runner/firewall/index.ts';
import { allocatePorts, connectClient, hostRules, Peer, tryConnect, until } from './helpers.ts';

const capability = firewallCapability();
test.skip(!capability.usable, capability.reason);

test('partition([[n1], [n2, n3]]) cuts n1 off both ways; n2↔n3 and root still work; heal restores', async () => {
  test.setTimeout(60_000);
  const before = await hostRules();
  const users = await Promise.all([1, 2, 3].map((i) => ensureNodeUser(i)));
  expect(new Set(users.map((u) => u.uid)).size).toBe(3);
  const ports = await allocatePorts(3);
  const [n1, n2, n3] = users.map((u, i) => Peer.start(ports[i]!, u.uid, u.gid));
  const peers = [n1!, n2!, n3!];
  const fw = await Firewall.create({ runId: test.info().testId });
  const roots = [] as Awaited<ReturnType<typeof connectClient>>[];
  try {
    const ready = await Promise.all(peers.map((p) => p.ready));
    // Each process really runs under its node's uid.
    expect(ready.map((r) => r.uid)).toEqual(users.map((u) => u.uid));
    const [p1, p2, p3] = ports as [number, number, number];

    // Established before the cut: every ordered pair, plus the root harness to every peer.
    const c = {
      12: (await n1!.connect(p2)) as number, 13: (await n1!.connect(p3)) as number,
      21: (await n2!.connect(p1)) as number, 31: (await n3!.connect(p1)) as number,
      23: (await n2!.connect(p3)) as number, 32: (await n3!.connect(p2)) as number,
    };
    const from = (k: keyof typeof c) => peers[Math.floor(k / 10) - 1]!;
    for (const k of Object.keys(c).map(Number) as (keyof typeof c)[]) expect(await from(k).echo(c[k], `pre-${k}`)).toBe(true);
    roots.push(...(await Promise.all(ports.map((p) => connectClient(p)))));

    await fw.partition([[{ uid: n1!.uid, ports: [p1] }], [{ uid: n2!.uid, ports: [p2] }, { uid: n3!.uid, ports: [p3] }]]);
    const rules = await fw.rules();
    expect(rules).toEqual(expect.arrayContaining([
      `-A ${fw.names.output} -p tcp -m owner --uid-owner ${n1!.uid} -m tcp --dport ${p2} -j DROP`,
      `-A ${fw.names.output} -p tcp -m owner --uid-owner ${n2!.uid} -m tcp --dport ${p1} -j DROP`,
    ]));

    // New connections: n1 → 2, 3 and 2, 3 → n1 get no answer; 2 ↔ 3 and root → all connect.
    const fresh = await Promise.all([n1!.connect(p2), n1!.connect(p3), n2!.connect(p1), n3!.connect(p1), n2!.connect(p3), n3!.connect(p2)]);
    expect(fresh.slice(0, 4)).toEqual(Array(4).fill('no connection within 500ms'));
    expect(fresh.slice(4).every((x) => typeof x === 'number')).toBe(true);
    expect(await Promise.all(ports.map((p) => tryConnect(p)))).toEqual(['connected', 'connected', 'connected']);

    // Established connections: across the cut nothing passes, inside a side and from root everything does.
    const echoes = await Promise.all(([12, 13, 21, 31, 23, 32] as const).map((k) => from(k).echo(c[k], `cut-${k}`)));
    expect(echoes).toEqual([false, false, false, false, true, true]);
    expect(await Promise.all(roots.map((r, i) => r.echo(`root-${i}`)))).toEqual([true, true, true]);

    // The packets were dropped by the owner rule of n1's uid: its counter moved (the process under that uid matched).
    const counted = (await iptables(['-v', '-S', fw.names.output])).split('\n').find((l) => l.includes(`--uid-owner ${n1!.uid} -m tcp --dport ${p2} `));
    expect(Number(/ -c (\d+) /.exec(counted ?? '')?.[1])).toBeGreaterThan(0);

    // A server's own writes (to the client's ephemeral port) are cut too: n2's push reaches n3 and root, not n1.
    await n2!.command({ op: 'push', text: 'push-from-2' });
    await n1!.command({ op: 'push', text: 'push-from-1' });
    expect(await until(() => roots[1]!.received().includes('push-from-2'), 500)).toBe(true);
    const got = async (p: Peer, conn: number, text: string) => (await p.received(conn)).includes(text);
    expect(await got(n3!, c[32], 'push-from-2')).toBe(true);
    expect(await got(n1!, c[12], 'push-from-2')).toBe(false);
    expect(await got(n2!, c[21], 'push-from-1')).toBe(false);

    await fw.heal();
    expect(await fw.rules()).toEqual([]);
    const healed = await Promise.all([n1!.connect(p2), n1!.connect(p3), n2!.connect(p1), n3!.connect(p1)]);
    expect(healed.every((x) => typeof x === 'number')).toBe(true);
    // Established connections resume: TCP retransmits what was dropped, so echoes and pushes arrive late.
    for (const k of [12, 13, 21, 31] as const) expect(await from(k).echo(c[k], `healed-${k}`, 5000)).toBe(true);
    expect(await got(n1!, c[12], 'push-from-2')).toBe(true);
  } finally {
    for (const r of roots) r.socket.destroy();
    await fw.close();
    await Promise.all(peers.map((p) => p.kill()));
  }
  expect(await hostRules(fw.names.id)).toEqual(before);
});
