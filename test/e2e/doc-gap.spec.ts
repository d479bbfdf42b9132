// DOC-GAP cells in a child run on real etcd: a failure for the gap itself (the failing step's own operation
// or watch failed for connectivity) is the expected failure, "gap confirmed"; a failure for another reason
// (a wrong .proto, a setup error, a wrong value read after a kill, a teardown error after passing steps) is
// red with the rule and the fix, and the gap matrix shows it as "gap not confirmed".
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { buildGapMatrix } from '../../report/gap-matrix/build.ts';
import { classify } from '../../report/gap-matrix/classify.ts';
import { readJsonReport } from '../../report/gap-matrix/from-json-report.ts';
import type { TestRunRecord } from '../../report/gap-matrix/model.ts';
import { renderMarkdown } from '../../report/gap-matrix/render-markdown.ts';
import { readSpecs } from '../../report/static/read-specs.ts';
import { etcdProcessesUnder, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const env = { FAULTLINE_PORT_BASE: String(PORT_BASES.docGap), FAULTLINE_SERVICES: 'test/fixtures/doc-gap/services.json' };
const FIX = "Fix the service configuration (proto, launch flags, operation mappings) or the scenario; the gap is confirmed only when the failing step's own operation, read, watch or link failed for connectivity.";
let tests: ChildTest[] = [];
let records: TestRunRecord[] = [];
/** The same run read back after a blob report and `playwright merge-reports` (as sharded runs are). */
let merged: TestRunRecord[] = [];
let out = '';

// One child run for the whole file: its tests read the same results, in one worker.
test.describe.configure({ mode: 'default' });

test.beforeAll(async ({}, testInfo) => {
  out = testInfo.outputPath('child');
  ({ tests } = await runChild(out, ['doc-gap', '--reporter=json,blob'], { ...env, PLAYWRIGHT_JSON_OUTPUT_FILE: `${out}/results.json`, PLAYWRIGHT_BLOB_OUTPUT_DIR: `${out}/blob` }));
  await execa('npx', ['playwright', 'merge-reports', '--reporter=json', `${out}/blob`], { env: { PLAYWRIGHT_JSON_OUTPUT_FILE: `${out}/merged.json` } });
  // Read now: a passing test's output dir (this one's) is removed when it ends.
  records = readJsonReport(`${out}/results.json`);
  merged = readJsonReport(`${out}/merged.json`);
});

test.afterAll(async () => {
  expect(await etcdProcessesUnder(out), 'no etcd left').toEqual([]);
});

const variant = (title: string, project: string) => {
  const t = tests.find((x) => x.title.endsWith(`› ${title}`) && x.project === project);
  expect(t, `${title} (${project}) ran; got ${tests.map((x) => `${x.project}: ${x.title}`).join(', ')}`).toBeDefined();
  return t!;
};
const docGap = (t: ChildTest) => t.annotations.find((a) => a.type === 'doc-gap')?.description ?? '';

test('a DOC-GAP that failed for connectivity is the expected failure, annotated with what confirmed it', async () => {
  const pinned = variant('client pinned to a killed node', 'etcd');
  expect([pinned.status, pinned.outcome], pinned.error).toEqual(['failed', 'expected']);
  expect(pinned.error).toContain('Expected put "d1/k" = "v2"');
  expect(docGap(pinned)).toMatch(/^confirmed: put "d1\/k" \(op 2, client\(node-1\)\) attempt #1 to node-1@127\.0\.0\.1:\d+: UNAVAILABLE /);
  // The annotation is for people; the typed record says the same, and is what the matrix reads.
  expect(`confirmed: ${(JSON.parse(pinned.bodies['faultline-doc-gap.json']!) as { why: string }).why}`).toBe(docGap(pinned));

  const watch = variant('watch without reconnect', 'etcd');
  expect([watch.status, watch.outcome], watch.error).toEqual(['failed', 'expected']);
  expect(docGap(watch)).toMatch(/^confirmed: watch "faultline watch" terminated at \d+ms: UNAVAILABLE: /);
});

test('a wrong .proto (UNIMPLEMENTED) fails red, not "expected to fail", with the rule and the fix', async () => {
  const t = variant('wrong .proto', 'iam');
  expect([t.status, t.outcome]).toEqual(['failed', 'unexpected']);
  expect(t.error).toContain('DOC-GAP not confirmed: iam failed for a reason that is not the documented gap: OperationError: put "d2/k" = "v1" failed after 1 attempt(s)');
  expect(t.error).toContain('UNIMPLEMENTED "iam.v1.PolicyStore/PutPolicy"');
  expect(t.error).toContain(FIX);
  expect(docGap(t)).toMatch(/^not confirmed: put "d2\/k" \(op 1, client\(node-1\)\) attempt #1 to node-1@127\.0\.0\.1:\d+: UNIMPLEMENTED .* — not a connectivity failure$/);
});

test('a setup error in custom code fails red: it is not a failed expectation', async () => {
  const t = variant('setup error', 'etcd');
  expect([t.status, t.outcome]).toEqual(['failed', 'unexpected']);
  expect(t.error).toContain('DOC-GAP not confirmed: etcd failed for a reason that is not the documented gap: ServiceConfigError: Invalid service configuration at "etcd.operations.put.call"');
  expect(t.error).toContain(FIX);
  expect(docGap(t)).toBe('not confirmed: ServiceConfigError: Invalid service configuration at "etcd.operations.put.call" in "faultline.services.json": the RPC "etcdserverpb.KV/Putt" is not in "rpc.proto". — not a failed expectation or operation, so it cannot show the gap');
});

test('a wrong value read after a kill is red, although the run recorded UNAVAILABLE for the write during the kill', async () => {
  const t = variant('wrong value read after a kill', 'etcd');
  expect([t.status, t.outcome], t.error).toEqual(['failed', 'unexpected']);
  expect(t.error).toContain('DOC-GAP not confirmed: etcd failed for a reason that is not the documented gap:');
  expect(t.error).toContain('Expected to read "d2/k" = "never-written", read "v1"');
  expect(t.error).toContain(FIX);
  const history = t.bodies['history.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { key: string; attempts: { status: string }[] });
  expect(history.find((r) => r.attempts.some((a) => a.status === 'UNAVAILABLE')), 'the write during the kill failed UNAVAILABLE').toBeDefined();
  expect(docGap(t)).toMatch(/^not confirmed: "expect client\(node-1\) to read "d2\/k" = "never-written"": the read of "d2\/k" \(op \d+, client\(node-1\)\) succeeded and returned "v1", not "never-written" — a wrong value is not a connectivity failure$/);
});

test('a DOC-GAP whose steps passed and whose teardown threw is red with a verdict, and "gap not confirmed" in the matrix', async () => {
  const t = variant('steps pass, then the evidence hook throws', 'etcd');
  expect([t.status, t.outcome], t.error).toEqual(['failed', 'unexpected']);
  expect(t.error).toContain('DOC-GAP not confirmed: etcd failed for a reason that is not the documented gap: the evidence hook failed (fixture)');
  expect(docGap(t)).toBe('not confirmed: the scenario gave no verdict on the gap (its steps passed); the test failed in its teardown: Error: the evidence hook failed (fixture)');
  const record = records.find((r) => r.title.endsWith('› steps pass, then the evidence hook throws'))!;
  expect(classify(record, 'DOC-GAP').outcome).toBe('gap not confirmed');
  // Without the runner's verdict (a result of an older runner), a failure expected to fail is still not the gap.
  expect(classify({ ...record, expectedStatus: 'failed', records: {} }, 'DOC-GAP').outcome).toBe('gap not confirmed');
});

test('the gap matrix of that run: confirmed where the gap showed, "gap not confirmed" where it failed for another reason', async () => {
  const { scenarios } = readSpecs({ patterns: ['test/fixtures/scenarios/doc-gap-*.scenario.ts'] });
  const matrix = buildGapMatrix(scenarios, records);
  const cell = (id: string, service: string) => matrix.rows.find((r) => r.id === id)!.cells.find((c) => c.service === service)!;
  expect(cell('D1', 'etcd').outcome).toBe('gap confirmed');
  expect(cell('D1', 'etcd').variants.map((v) => v.reason)).toEqual([
    expect.stringMatching(/^DOC-GAP: the client does not fail over or reconnect \(fixture\) — confirmed by put "d1\/k" .*UNAVAILABLE/),
    expect.stringMatching(/^DOC-GAP: the client does not fail over or reconnect \(fixture\) — confirmed by watch "faultline watch" terminated/),
  ]);
  for (const service of ['iam', 'etcd']) {
    const c = cell('D2', service);
    expect(c.outcome, service).toBe('gap not confirmed');
    const v = c.variants.find((x) => x.declared === 'DOC-GAP')!;
    expect(v.reason).toMatch(/^DOC-GAP not confirmed: failed for another reason — /);
    expect(v.errors[0]).toContain('DOC-GAP not confirmed:');
  }
  // Every variant, not only the worst: the wrong value read after a kill is not "gap confirmed".
  expect(cell('D2', 'etcd').variants.map((v) => [v.variant, v.outcome])).toEqual([['setup error', 'gap not confirmed'], ['wrong value read after a kill', 'gap not confirmed']]);
  const md = renderMarkdown(matrix);
  expect(md).toContain('| **D1** DOC-GAP confirmed | 🟧 gap confirmed (DOC-GAP) |');
  expect(md).toContain('| **D2** DOC-GAP for another reason | 🟥 gap not confirmed (DOC-GAP) | · n/a (n/a) | · n/a (n/a) | · n/a (n/a) | 🟥 gap not confirmed (DOC-GAP) |');
});

test('the verdicts survive a blob report and merge-reports: the merged run gives the same records and the same matrix', async () => {
  const verdicts = (rs: TestRunRecord[]) => rs.map((r) => [r.project, r.title, r.records?.docGap ?? null]).sort((a, b) => String(a).localeCompare(String(b)));
  expect(verdicts(records).filter(([, , v]) => v !== null).length, 'the run gave verdicts').toBeGreaterThanOrEqual(4);
  expect(verdicts(merged)).toEqual(verdicts(records));
  const { scenarios } = readSpecs({ patterns: ['test/fixtures/scenarios/doc-gap-*.scenario.ts'] });
  expect(renderMarkdown(buildGapMatrix(scenarios, merged)).split('\n').filter((l) => l.startsWith('|'))).toEqual(renderMarkdown(buildGapMatrix(scenarios, records)).split('\n').filter((l) => l.startsWith('|')));
});
