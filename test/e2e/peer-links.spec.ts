// Peer links on real etcd: a one-way cut is recorded per directed link (dials, log lines, effect),
// the reverse link flows, and nothing is left behind.
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const env = { FAULTLINE_PORT_BASE: String(PORT_BASES.peerLinks), FAULTLINE_SPECS: 'test/fixtures/peers' };
test.describe.configure({ mode: 'default' });
let tests: ChildTest[] = [];
let out = '';

test.beforeAll(async ({}, testInfo) => {
  out = testInfo.outputPath('child');
  ({ tests } = await runChild(out, ['--project=etcd'], env));
});

test.afterAll(async () => {
  expect(await etcdProcessesUnder(out), 'no etcd left').toEqual([]);
});

const byId = (id: string) => tests.find((t) => t.title.startsWith(`${id} `))!;

test('a one-way cut records each dial of the cut link, with the dialler\'s own retry lines, and its effect', async () => {
  const t = byId('P1');
  expect(t.status, t.error).toBe('passed');
  const link = Object.keys(t.bodies).find((n) => /^peer-link-node-\d-to-node-\d\.md$/.test(n))!;
  const body = t.bodies[link]!;
  const dials = Number(/Dial attempts at the gate \((\d+)\)/.exec(body)![1]);
  const lines = Number(/dialler's own log \((\d+)\)/.exec(body)![1]);
  expect(dials, body).toBeGreaterThanOrEqual(8);
  // The gate and the server's log tell one story: within a few attempts of each other.
  expect(Math.abs(dials - lines), body).toBeLessThanOrEqual(6);
  expect(body).toContain('reset at once (link cut)');
  const effect = Object.entries(t.bodies).find(([n]) => n.startsWith('peer-cut-'))![1];
  expect(effect).toContain('One-way cut of');
  expect(effect).toMatch(/leader before \(last "became leader" in the logs\): node-\d/);
  expect(t.annotations.some((a) => a.type === 'subject' && /^rafthttp.*, etcd's servers: claimed .*; measured node-\d → node-\d: gate ok/.test(a.description ?? ''))).toBe(true);
});

test('every incoming peer link of a node is faulted and judged on its own', async () => {
  const t = byId('P2');
  expect(t.status, t.error).toBe('passed');
  expect(Object.keys(t.bodies).filter((n) => /^peer-link-node-\d-to-node-\d\.md$/.test(n))).toHaveLength(2);
});
