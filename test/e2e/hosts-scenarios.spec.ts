// The same specs, unchanged, on three network-namespace hosts over SSH (project etcd-hosts, FAULTLINE_HOSTS=lab:3):
// S1's two iptables variants (the followers' redials judged from their own logs), S3 with the seed's literal
// -s <node> rule on both sides, S4's kill -9,
// SIGSTOP and etcdctl on every member; nodes spawned over SSH, their logs back as evidence, nothing left after.
import fs from 'node:fs';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { runChild } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const labPossible = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd');
test.skip(!labPossible, 'needs root and Debian\'s openssh-server (npm run bootstrap installs it)');

/**
 * The scenarios that run on hosts, by spec line (variants needing per-uid owner matches or peer gates stay local).
 */
const CASES = ['specs/s1-raft-recovery.spec.ts:10', 'specs/s1-raft-recovery.spec.ts:33', 'specs/s3-network-partition.spec.ts:10', 'specs/s4-restart-recovery.spec.ts:47', 'specs/s4-restart-recovery.spec.ts:56', 'specs/s4-restart-recovery.spec.ts:68'];

test('S1, S3 and S4 pass on etcd across three SSH namespace hosts, with the seed\'s rules applied on the hosts', async ({}, testInfo) => {
  test.setTimeout(600_000);
  const { tests, stdout } = await runChild(testInfo.outputPath('child'), ['--project=etcd-hosts', ...CASES, '--workers=2'], { FAULTLINE_SPECS: 'specs', FAULTLINE_HOSTS: 'lab:3', FAULTLINE_PORT_BASE: String(PORT_BASES.hostsScenarios) });
  expect(tests).toHaveLength(CASES.length);
  for (const t of tests) {
    expect(t.project).toBe('etcd-hosts');
    expect(t.outcome, `${t.title}: ${t.errors.join('\n')}`).toBe('expected');
    const events = JSON.parse(t.bodies['events.json']!).events as { kind: string; detail?: string; node?: string }[];
    // Every node was spawned over SSH on its own host; its log came back as a local attachment.
    const spawns = events.filter((e) => e.kind === 'spawn');
    expect(spawns.length).toBeGreaterThanOrEqual(3);
    for (const s of spawns) expect(s.detail).toMatch(/^ssh h[123]: \S+etcd .*--listen-peer-urls=http:\/\/198\.1[89]\.\d+\.[123]:/);
    expect(t.attachments).toEqual(expect.arrayContaining(['node-1.log', 'node-2.log', 'node-3.log']));
  }
  const s3 = tests.find((t) => t.title.startsWith('S3'))!;
  const fw = (JSON.parse(s3.bodies['events.json']!).events as { kind: string; action?: string; rules?: string[] }[]).filter((e) => e.kind === 'firewall');
  const partition = fw.find((e) => e.action === 'partition')!;
  // node-1 isolated: its host drops both peers, both peers' hosts drop node-1 — the literal rule, real addresses.
  expect(partition.rules).toHaveLength(4);
  for (const r of partition.rules!) expect(r).toMatch(/^h[123] \(node-[123]\): iptables -A FL-[\w-]+ -s 198\.1[89]\.\d+\.[123] -j DROP \(node-[123]\)$/);
  expect(fw.some((e) => e.action === 'heal')).toBe(true);
  // The child's labs (named in its spawn lines' data dirs), their sshd and every etcd are gone with the child run.
  const labs = new Set(tests.flatMap((t) => [...t.bodies['events.json']!.matchAll(/faultline-lab-\d+-(\w+)-\w+/g)].map((m) => m[1]!)));
  expect(labs.size).toBeGreaterThan(0);
  const left = (await execa('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => [...labs].some((id) => l.startsWith(`fl-${id}-`)));
  expect(left).toEqual([]);
  expect((await execa('pgrep', ['-f', [...labs].map((id) => `faultline-lab-[0-9]+-${id}-`).join('|')], { reject: false })).stdout).toBe('');
});
