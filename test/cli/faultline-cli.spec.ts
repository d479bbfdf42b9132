// `npx faultline matrix | lint | plan`, run as a user runs them (node bin/faultline.mjs, under tsx).
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { positionOf } from '../report/static/position-of.ts';

const cli = (args: string[], env: Record<string, string> = {}) => execa('node', ['bin/faultline.mjs', ...args], { reject: false, env });
const etcdPids = async () => String((await execa('pgrep', ['-x', 'etcd'], { reject: false })).stdout).split('\n').filter(Boolean);
/** Whether a process inherited `mark` in its environment, i.e. descends from the command we ran. */
const carries = (pid: string, mark: string) => {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(mark);
  } catch {
    return false; // gone already, or not ours to read
  }
};

test('--help lists every command, the existing check included', async () => {
  const r = await cli(['--help']);
  expect(r.exitCode).toBe(0);
  for (const c of ['check <history.jsonl>', 'matrix [--results', 'lint [paths', 'plan <spec file']) expect(r.stderr).toContain(`faultline ${c}`);
});

test('matrix prints the seed table from the real specs, without starting anything', async () => {
  const r = await cli(['matrix']);
  expect(r.exitCode).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(/^Scenario\s+etcd\s+ChainFire\s+FlareDB\s+PlasmaVMC\s+IAM$/);
  expect(lines.find((l) => l.startsWith('S4 '))).toMatch(/^S4 Service restart recovery \(\d+ variants\)\s+TEST\s+TEST\s+TEST\s+DOC-GAP\s+DOC-GAP$/);
  // The seed's table, column for column (ChainFire, FlareDB, PlasmaVMC, IAM), plus the etcd column.
  expect(lines.find((l) => l.startsWith('S1 '))).toMatch(/^S1 Raft recovery .*\s+TEST\s+TEST\s+n\/a\s+n\/a\s+n\/a$/);
  expect(lines.find((l) => l.startsWith('S2 '))).toMatch(/^S2 PD reconnection \(2 variants\)\s+TEST\s+n\/a\s+TEST\s+n\/a\s+n\/a$/);
  expect(lines.find((l) => l.startsWith('S3 '))).toMatch(/^S3 Network partition \(2 variants\)\s+TEST\s+TEST\s+TEST\s+SKIP\s+SKIP$/);
  expect(lines.find((l) => l.startsWith('S5 '))).toMatch(/^S5 Watch recovery .*\s+TEST\s+DOC-GAP\s+DOC-GAP\s+n\/a\s+n\/a$/);
  expect(r.stdout).not.toContain('Seed rows no spec declares yet:');
});

test('lint passes on the real specs: every seed row declared as the seed says', async () => {
  const r = await cli(['lint']);
  expect(r.stdout + r.stderr).not.toMatch(/specs\/.*:\d+: /);
  expect(r.exitCode).toBe(0);
});

test('matrix --results merges the outcomes of a Playwright JSON report; --json gives the data', async ({}, testInfo) => {
  const report = testInfo.outputPath('scenarios.json');
  const spec = (title: string, project: string, expectedStatus: string, status: string, annotations: object[] = [], attachments: object[] = []) => ({
    title, id: `${project}-${title}`, tags: [project, 'S4'], file: '../runner/compile.ts', line: 26, column: 7,
    tests: [{ projectName: project, expectedStatus, status: 'expected', annotations, results: [{ status, duration: 4200, errors: [], startTime: new Date().toISOString(), annotations, attachments }] }],
  });
  // The runner's typed verdict, as a JSON report carries an attachment body (base64); the annotation is for people.
  const verdict = { name: 'faultline-doc-gap.json', contentType: 'application/json', body: Buffer.from(JSON.stringify({ confirmed: true, why: 'put "k" failed with UNAVAILABLE' })).toString('base64') };
  fs.writeFileSync(report, JSON.stringify({ config: {}, errors: [], stats: {}, suites: [{ title: 's4-restart-recovery.spec.ts', file: 's4-restart-recovery.spec.ts', specs: [], suites: [
    { title: 'etcd', specs: [spec('S4 Service restart recovery › kill -9 + start', 'etcd', 'passed', 'passed')] },
    { title: 'iam', specs: [spec('S4 Service restart recovery › kill -9 + start', 'iam', 'failed', 'failed', [{ type: 'fail', description: 'DOC-GAP: no retry' }, { type: 'doc-gap', description: 'confirmed: put "k" failed with UNAVAILABLE' }], [verdict])] },
  ] }] }));
  const text = await cli(['matrix', '--results', report]);
  expect(text.exitCode).toBe(0);
  const s4 = text.stdout.split('\n').find((l) => l.startsWith('S4 '))!;
  expect(s4).toMatch(/S4 Service restart recovery \(\d+ variants\)\s+TEST: not run/); // etcd's other variants did not run: worst wins
  expect(s4).toContain('DOC-GAP: not run');
  const json = await cli(['matrix', '--results', report, '--json']);
  const matrix = JSON.parse(json.stdout);
  const cells = matrix.rows.find((r: { id: string }) => r.id === 'S4').cells;
  const variant = (service: string) => cells.find((c: { service: string }) => c.service === service).variants.find((v: { variant: string }) => v.variant === 'kill -9 + start');
  expect(variant('etcd')).toMatchObject({ outcome: 'passed', durationMs: 4200 });
  expect(variant('iam')).toMatchObject({ outcome: 'gap confirmed', reason: expect.stringContaining('DOC-GAP: no retry') });
  const missing = await cli(['matrix', '--results', testInfo.outputPath('nothing-here')]);
  expect(missing.exitCode).toBe(2);
  expect(missing.stderr).toContain('Fix: ');
});

test('plan prints the steps of each S4 variant with their spec lines and starts no etcd', async ({}, testInfo) => {
  // Other sessions may start etcd meanwhile: a new etcd counts only if it inherited our mark.
  const mark = `FAULTLINE_PLAN_TEST_MARK=${randomUUID()}`;
  const before = await etcdPids();
  const r = await cli(['plan', 'specs/s4-restart-recovery.spec.ts'], { FAULTLINE_PLAN_TEST_MARK: mark.split('=')[1]! });
  expect(r.exitCode, r.stderr).toBe(0);
  for (const v of ['SIGTERM + start', 'kill -9 + start', 'SIGSTOP/SIGCONT freeze']) expect(r.stdout).toContain(`S4 Service restart recovery › ${v}  (specs/s4-restart-recovery.spec.ts:`);
  expect(r.stdout).toMatch(/^ {2} 1\. start a cluster of 3 nodes\s+specs\/s4-restart-recovery\.spec\.ts:\d+$/m);
  expect(r.stdout).toMatch(/kill -9 node-1\s+specs\/s4-restart-recovery\.spec\.ts:\d+/);
  expect(r.stdout).toMatch(/pause node-1 \(SIGSTOP\)/);
  expect(r.stdout).toMatch(/expect put "s4\/during" = "v2" via the client under test \(node-1\) to retry as its own client claims/);
  expect(r.stdout).toMatch(/expect client to read "s4\/before" = "v1"/);
  const after = await etcdPids();
  expect(after.filter((pid) => !before.includes(pid) && carries(pid, mark))).toEqual([]);
  if (after.length !== before.length) testInfo.annotations.push({ type: 'note', description: `etcd count ${before.length} → ${after.length}, none started by plan` });
});

test('plan reports a plan problem as an error with the spec line, and exits 1', async () => {
  const r = await cli(['plan', 'test/fixtures/scenarios/plan-error.scenario.ts']);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toContain('F2 Plan error');
  expect(r.stderr).toContain('error: node-5 does not exist');
  expect(r.stderr).toMatch(/plan-error\.scenario\.ts:6:\d+/);
  expect((await cli(['plan'])).exitCode).toBe(2);
});

test('lint on the fixtures reports each rule as file:line: message and exits 1', async () => {
  const rules = 'test/report/static/fixtures/lint-rules.fixture.ts';
  const r = await cli(['lint', 'test/report/static/fixtures']);
  expect(r.exitCode).toBe(1);
  const line = (marker: string, after?: string) => `${rules}:${positionOf(rules, marker, after).line}: `;
  expect(r.stdout).toContain(`${line("scenario('R1'", "variant: 'same' }, () => {});")}duplicate scenario "R1 › same"`);
  expect(r.stdout).toContain(`${line("etcd: 'TETS'")}status "TETS"`);
  expect(r.stdout).toContain(`${line('chainfir:')}service "chainfir"`);
  expect(r.stdout).toContain(`${line("scenario('R4'")}scenario "R4" has no matrix`);
  expect(r.stdout).toContain(`${line("iam: 'TEST' } }", "scenario('S4'")}cell S4 × IAM`);
  expect(r.stdout).toMatch(/non-literal-matrix\.fixture\.ts:\d+: non-literal matrix/);
  expect(r.stdout).toContain('test/report/static/fixtures/:0: seed row S1 (Raft Recovery');
});
