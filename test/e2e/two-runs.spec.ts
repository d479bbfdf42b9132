// Two runs on one machine never meet: two child runs of the etcd S4 scenarios at once, starting from
// the SAME port base, both pass, and every answer each test recorded came from its own cluster.
import { test, expect } from '@playwright/test';
import { etcdClusterId, etcdMemberId } from '../../services/etcd/identity.ts';
import { etcdProcessesUnder, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

type Event = { kind: string; token?: string; detail?: string };
type Attempt = { status: string; endpoint: string; from?: { cluster?: string; member?: string } };

/** The cluster and member ids a test's etcd must answer with, derived from its own command lines. */
function ownIds(t: ChildTest): { cluster: string; members: Map<string, string>; ports: number[] } {
  const events = (JSON.parse(t.bodies['events.json']!) as { events: Event[] }).events;
  const token = events.find((e) => e.kind === 'cluster.start')!.token!;
  const spawn = events.find((e) => e.kind === 'spawn' && e.detail?.includes('--initial-cluster='))!.detail!;
  const peers = /--initial-cluster=(\S+)/.exec(spawn)![1]!.split(',').map((p) => p.split('=') as [string, string]);
  const ids = new Map(peers.map(([name, url]) => [name, etcdMemberId([url], token).toString(16)]));
  const ports = events.filter((e) => e.kind === 'spawn').flatMap((e) => [...(e.detail ?? '').matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])));
  return { cluster: etcdClusterId([...ids.values()].map((id) => BigInt(`0x${id}`))).toString(16), members: ids, ports: [...new Set(ports)] };
}

/** Every OK attempt of our recording client that names no answerer, or another cluster or member than its node's. */
function foreignAnswers(t: ChildTest): string[] {
  const own = ownIds(t);
  const records = t.bodies['history.jsonl']!.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { process: string; attempts: Attempt[]; subject?: { client: string } });
  const wrong: string[] = [];
  for (const r of records) {
    for (const a of r.attempts.filter((x) => x.status === 'OK')) {
      // A client under test (etcdctl, the etcd3 driver) reports no response header: its answers are not ours to read.
      // Its links still end at this run's own nodes (locked ports, owners checked at readiness).
      if (!a.from && r.subject) continue;
      const node = a.endpoint.split('@')[0]!;
      if (a.from?.cluster !== own.cluster || a.from.member !== own.members.get(node)) {
        wrong.push(`${t.title}: ${r.process} at ${a.endpoint} answered by ${JSON.stringify(a.from)}, expected cluster ${own.cluster} member ${own.members.get(node)}`);
      }
    }
  }
  return wrong;
}

test('two runs from the same port base at once both pass, each answered only by its own clusters', async ({}, testInfo) => {
  test.setTimeout(400_000);
  const env = { FAULTLINE_SPECS: 'specs', FAULTLINE_PORT_BASE: String(PORT_BASES.twoRuns) };
  // One retry: a backoff's spacing can be off under this machine's load; cross-talk never hides in a retry (see below).
  const args = ['--project=etcd', '--grep', 'S4', '--workers=1', '--retries=1'];
  const outs = [testInfo.outputPath('run-a'), testInfo.outputPath('run-b')];
  const runs = await Promise.all(outs.map((out) => runChild(out, args, env)));
  const tests = runs.flatMap((r) => r.tests);
  for (const r of runs) expect(r.tests.length, 'each run ran the S4 scenarios').toBeGreaterThanOrEqual(3);
  expect(tests.filter((t) => t.outcome !== 'expected' && t.outcome !== 'flaky').map((t) => `${t.title}: ${t.error}`)).toEqual([]);
  // No try of any test met a foreign process, and no node of either run lost its port to the other.
  expect(tests.flatMap((t) => t.errors.filter((e) => /foreign process|ForeignNodeError|address already in use/i.test(e)))).toEqual([]);
  expect(tests.flatMap((t) => Object.entries(t.bodies).filter(([name, body]) => name.endsWith('.log') && /address already in use/.test(body)).map(([name]) => `${t.title}: ${name}`))).toEqual([]);
  expect(tests.flatMap(foreignAnswers)).toEqual([]);
  // Answers were recorded at all (an empty check proves nothing), and no cluster was seen twice.
  const answered = tests.flatMap((t) => t.bodies['history.jsonl']!.split('\n').filter((l) => l.includes('"from"')));
  expect(answered.length).toBeGreaterThan(20);
  const clusters = tests.map((t) => ownIds(t).cluster);
  expect(new Set(clusters).size).toBe(clusters.length);
  // Both runs really competed for the same ports: each started from the shared base.
  const [a, b] = runs.map((r) => r.tests.flatMap((t) => ownIds(t).ports));
  testInfo.annotations.push({ type: 'retried (timing under load)', description: tests.filter((t) => t.outcome === 'flaky').map((t) => t.title).join('; ') || 'none' });
  testInfo.annotations.push({ type: 'ports', description: `run A ${Math.min(...a!)}-${Math.max(...a!)}, run B ${Math.min(...b!)}-${Math.max(...b!)}` });
  for (const ports of [a!, b!]) expect(Math.min(...ports)).toBeLessThan(PORT_BASES.twoRuns + 100);
  for (const out of outs) expect(await etcdProcessesUnder(out)).toEqual([]);
});
