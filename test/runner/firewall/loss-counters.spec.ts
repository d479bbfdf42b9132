// Reading what a loss really did: iptables' rule counters found by their comment tags, and the members'
// TCP retransmissions from `ss -tieOH` (samples of the real output of iproute2 6.1).
import { test, expect } from '@playwright/test';
import { countersIn, ruleTag, taggedRule } from '../../../runner/firewall/rule-counters.ts';
import { parseSs, retransmitsBetween } from '../../../runner/firewall/tcp-retransmits.ts';

test('each rule carries its tag before its target; the counters are found by tag, in the order asked', () => {
  expect(taggedRule(['-m', 'owner', '--uid-owner', '1001'], ruleTag('loss:node-1', 0))).toEqual(['-m', 'owner', '--uid-owner', '1001', '-m', 'comment', '--comment', 'faultline:loss:node-1:0']);
  expect(taggedRule(['-p', 'tcp', '--dport', '2379', '-j', 'DROP'], ruleTag('loss node/1', 3))).toEqual(['-p', 'tcp', '--dport', '2379', '-m', 'comment', '--comment', 'faultline:loss_node_1:3', '-j', 'DROP']);
  const listing = [
    '-N FAULTLINE-7-abcdef-out',
    '-A FAULTLINE-7-abcdef-out -m owner --uid-owner 1001 -m comment --comment "faultline:loss:node-1:0" -c 702 90210',
    '-A FAULTLINE-7-abcdef-out -m owner --uid-owner 1001 -m statistic --mode random --probability 0.29999999981 -m comment --comment "faultline:loss:node-1:1" -c 206 31000 -j DROP',
    '-A FAULTLINE-7-abcdef-out -m owner --uid-owner 1001 -m comment --comment faultline:loss:node-1:10 -c 5 500',
  ].join('\n');
  expect(countersIn(listing, ['faultline:loss:node-1:1', 'faultline:loss:node-1:0', 'faultline:loss:node-1:10', 'faultline:loss:node-1:2'])).toEqual([
    { packets: 206, bytes: 31000 },
    { packets: 702, bytes: 90210 },
    { packets: 5, bytes: 500 },
    undefined,
  ]);
});

const SS = [
  'ESTAB 0 0 127.0.0.1:2379 127.0.0.1:45678 timer:(keepalive,40sec,0) uid:1001 ino:5551 sk:1 cgroup:/ <-> ts sack cubic wscale:7,7 rto:204 rtt:0.05/0.02 mss:32768 bytes_sent:900 bytes_retrans:120 retrans:0/3 segs_out:40',
  'ESTAB 0 0 127.0.0.1:2380 127.0.0.1:45690 uid:1001 ino:5552 sk:2 cgroup:/ <-> ts sack cubic rto:204 mss:32768 bytes_sent:50',
  'ESTAB 0 0 127.0.0.1:45678 127.0.0.1:2379 uid:1002 ino:6661 sk:3 cgroup:/ <-> retrans:1/9 bytes_retrans:4000',
  'TIME-WAIT 0 0 127.0.0.1:2379 127.0.0.1:40000 timer:(timewait,59sec,0) ino:0 sk:4',
].join('\n');

test("a uid's sockets with their total retransmissions; other uids and ownerless sockets are left out", () => {
  expect(parseSs(SS, 1001)).toEqual([
    { socket: '127.0.0.1:2379 127.0.0.1:45678 5551', segments: 3, bytes: 120 },
    { socket: '127.0.0.1:2380 127.0.0.1:45690 5552', segments: 0, bytes: 0 },
  ]);
  expect(parseSs(SS, 1002)).toEqual([{ socket: '127.0.0.1:45678 127.0.0.1:2379 6661', segments: 9, bytes: 4000 }]);
  expect(parseSs(SS, 0)).toEqual([]);
});

test('retransmissions between two readings: the growth of sockets seen twice, all of a new socket, none of a closed one', () => {
  const before = [{ socket: 'a', segments: 3, bytes: 100 }, { socket: 'gone', segments: 50, bytes: 5000 }];
  const after = [{ socket: 'a', segments: 7, bytes: 300 }, { socket: 'new', segments: 2, bytes: 80 }];
  expect(retransmitsBetween(before, after)).toEqual({ segments: 6, bytes: 280, sockets: 2 });
  expect(retransmitsBetween([], [])).toEqual({ segments: 0, bytes: 0, sockets: 0 });
});
