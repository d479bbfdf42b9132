// Scenarios run in a child Playwright: failing tests, plan errors and matrix statuses, and what
// they leave behind (no process; data dirs and logs of a failed test kept).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder, runChild } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

test('a deliberately failing scenario fails with the matcher message, keeps its data, leaves no process', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { tests } = await runChild(out, ['--project=etcd', 'deliberately-failing'], { FAULTLINE_PORT_BASE: String(PORT_BASES.deliberatelyFailing) });
  expect(tests.map((t) => [t.title, t.status])).toEqual([['F1 Deliberately failing', 'failed']]);
  expect(tests[0]!.error).toContain('Expected to read "k" = "not-what-was-written", read "v1"');
  expect(tests[0]!.attachments).toEqual(expect.arrayContaining(['node-1.log', 'node-2.log', 'node-3.log', 'history.jsonl', 'attempts.json', 'events.json']));
  const runDir = fs.readdirSync(path.join(out, 'output')).map((d) => path.join(out, 'output', d, 'run')).find((d) => fs.existsSync(d));
  expect(runDir, 'the failed test keeps its run dir').toBeDefined();
  expect(fs.readdirSync(runDir!).sort()).toEqual(['node-1.data', 'node-1.log', 'node-2.data', 'node-2.log', 'node-3.data', 'node-3.log']);
  expect(await etcdProcessesUnder(out)).toEqual([]);
});

test('a plan error fails the test before any process starts', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { tests } = await runChild(out, ['--project=etcd', 'plan-error'], { FAULTLINE_PORT_BASE: String(PORT_BASES.planError) });
  expect(tests).toHaveLength(1);
  expect(tests[0]!.status).toBe('failed');
  expect(tests[0]!.error).toContain('node-5 does not exist: the cluster has 3 nodes (node-1 to node-3).');
  expect(tests[0]!.error).toContain('Fix: use cluster.node(1) to cluster.node(3), or start more nodes.');
  expect(tests[0]!.error).toMatch(/plan-error\.scenario\.ts:6:\d+/);
  expect(tests[0]!.attachments).not.toContain('node-1.log');
  expect(fs.existsSync(path.join(out, 'output'))).toBe(true);
  expect(await etcdProcessesUnder(out)).toEqual([]);
});

test('matrix statuses: SKIP and DOC-GAP are skipped with a reason, n/a has no test, unconfigured services skip', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { tests } = await runChild(out, ['matrix-statuses'], { FAULTLINE_PORT_BASE: String(PORT_BASES.matrixStatuses), CHAINFIRE_BIN: '' });
  const byProject = Object.fromEntries(tests.map((t) => [t.project, t]));
  expect(Object.keys(byProject).sort()).toEqual(['chainfire', 'etcd', 'iam']);
  for (const t of tests) expect(t.status).toBe('skipped');
  const reason = (p: string) => byProject[p]!.annotations.find((a) => a.type === 'skip')?.description;
  expect(reason('etcd')).toBe('SKIP: fixture says skip');
  expect(reason('chainfire')).toBe('chainfire binary not configured (set CHAINFIRE_BIN)');
  expect(reason('iam')).toContain('iam binary not configured');
});

test('--list shows the S4 tests of the etcd project without starting anything', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { stdout } = await runChild(out, ['--project=etcd', '--list', '--reporter=list'], { FAULTLINE_SPECS: 'specs', FAULTLINE_PORT_BASE: String(PORT_BASES.listOnly) });
  expect(stdout).toContain('S4 Service restart recovery › SIGTERM + start');
  expect(stdout).toContain('S4 Service restart recovery › kill -9 + start');
  expect(stdout).toContain('S4 Service restart recovery › SIGSTOP/SIGCONT freeze');
  expect(await etcdProcessesUnder(out)).toEqual([]);
});

test('the etcd scenario suite (npm start) passes on real etcd and leaves no process', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const out = testInfo.outputPath('child');
  const { tests } = await runChild(out, ['--project=etcd'], { FAULTLINE_SPECS: 'specs', FAULTLINE_PORT_BASE: String(PORT_BASES.specsSuite) });
  const failed = tests.filter((t) => t.outcome === 'unexpected' || t.outcome === 'flaky');
  expect(failed.map((t) => `${t.title}: ${t.error}`)).toEqual([]);
  for (const id of ['S1', 'S2', 'S3', 'S4', 'S5']) expect(tests.filter((t) => t.title.startsWith(id)).length, `${id} ran`).toBeGreaterThanOrEqual(1);
  // S5 on etcd is judged on etcd's own watch clients (etcdctl, the etcd3 driver), which resume: TEST, passed.
  const s5 = tests.filter((t) => t.title.startsWith('S5'));
  expect(s5.map((t) => [t.title, t.status]), 'S5 passed through etcd\'s own watch clients').toEqual(s5.map((t) => [t.title, 'passed']));
  expect(s5.length).toBeGreaterThanOrEqual(2);
  expect(await etcdProcessesUnder(out)).toEqual([]);
});
