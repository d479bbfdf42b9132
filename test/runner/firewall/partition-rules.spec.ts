// The partition's rules as data (no root needed): validation messages, both directions, established connections.
import { test, expect } from '@playwright/test';
import { crossRules, establishedRules, parseChainName, newChainNames, validatePartition } from '../../../runner/firewall/index.ts';
import { parseProcNetTcp } from '../../../runner/firewall/tcp-sockets.ts';

const n1 = { uid: 1001, ports: [2379, 2380] };
const n2 = { uid: 1002, ports: [2381, 2382] };
const n3 = { uid: 1003, ports: [2383, 2384] };

test('every ordered pair across sides gets one rule per receiving port; nodes on one side get none', () => {
  const rules = crossRules([[n1], [n2, n3]]).map((r) => r.join(' '));
  const rule = (from: number, port: number) => `-p tcp -m owner --uid-owner ${from} --dport ${port} -j DROP`;
  expect(rules.sort()).toEqual(
    [rule(1001, 2381), rule(1001, 2382), rule(1001, 2383), rule(1001, 2384), rule(1002, 2379), rule(1002, 2380), rule(1003, 2379), rule(1003, 2380)].sort(),
  );
});

test("established connections: the server's writes to a client across the cut are dropped by their 4-tuple", () => {
  const sockets = [
    { localPort: 50001, remotePort: 2381, uid: 1001, state: 'ESTABLISHED' }, // n1 → n2: n2's writes must stop
    { localPort: 2381, remotePort: 50001, uid: 1002, state: 'ESTABLISHED' }, // n2's accepted end of it
    { localPort: 50002, remotePort: 2383, uid: 1002, state: 'ESTABLISHED' }, // n2 → n3: same side, untouched
    { localPort: 50003, remotePort: 2379, uid: 0, state: 'ESTABLISHED' }, // root → n1: the harness, untouched
  ];
  expect(establishedRules([[n1], [n2, n3]], sockets).map((r) => r.join(' '))).toEqual([
    '-p tcp -m owner --uid-owner 1002 --sport 2381 --dport 50001 -j DROP',
  ]);
});

test('validation states the rule and the fix', () => {
  expect(() => validatePartition([[n1, n2, n3]])).toThrow('partition() needs at least two non-empty groups, got 1: pass the sides, e.g. [[node1], [node2, node3]].');
  expect(() => validatePartition([[{ uid: 0, ports: [1] }], [n2]])).toThrow(/uid 0 \(root, which is also the harness and its clients\): run each node under its own uid \(ensureNodeUser\(index\)\)/);
  expect(() => validatePartition([[n1], [{ uid: 1001, ports: [9] }]])).toThrow(/got uid 1001 for two nodes/);
  expect(() => validatePartition([[n1], [{ uid: 1009, ports: [2379] }]])).toThrow(/got port 2379 for two nodes/);
});

test('/proc/net/tcp lines become loopback connections with their owner uid', () => {
  const text = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:0943 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 1 1',
    '   1: 0100007F:C350 0100007F:0943 01 00000000:00000000 00:00000000 00000000  1001        0 2 1',
    '   2: 0A00000A:C351 0A00000B:0050 01 00000000:00000000 00:00000000 00000000     0        0 3 1',
  ].join('\n');
  // A listener (remote 0.0.0.0) and a non-loopback connection are not loopback connections.
  expect(parseProcNetTcp(text)).toEqual([{ localPort: 50000, remotePort: 2371, uid: 1001, state: 'ESTABLISHED' }]);
});

test('chain names carry the owner pid, fit iptables, and only ours parse', () => {
  const names = newChainNames(4194304, 'abcdef');
  expect(names).toEqual({ id: 'FAULTLINE-4194304-abcdef', input: 'FAULTLINE-4194304-abcdef-in', output: 'FAULTLINE-4194304-abcdef-out' });
  expect(names.output.length).toBe(28);
  expect(parseChainName(names.output)).toEqual({ pid: 4194304, id: names.id });
  expect(parseChainName('FAULTLINE-custom')).toBeUndefined();
  expect(parseChainName('DOCKER-USER')).toBeUndefined();
});
