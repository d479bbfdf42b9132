// Every scenario test lives at its scenario(…) line, proven from child runs: --list, a file filter,
// a file:line run with the scenario suite's reporters. runner/declare-at.ts relies on Playwright's
// internal test factory, so a Playwright upgrade that changes it fails here, saying what broke.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const BROKE = 'tests are no longer placed at their scenario(…) line: runner/declare-at.ts relies on Playwright internals (TestTypeImpl._createTest/_describe) — did a Playwright upgrade change them?';
const env = { FAULTLINE_PORT_BASE: String(PORT_BASES.testLocations) };

/** Each top-level scenario(…) call of a spec: its line and its text up to the next call. */
function scenarioCalls(file: string): { line: number; text: string }[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const starts = lines.flatMap((l, i) => (/^scenario\(/.test(l) ? [i] : []));
  return starts.map((s, k) => ({ line: s + 1, text: lines.slice(s, starts[k + 1] ?? lines.length).join('\n') }));
}

/** The line of the scenario(…) call whose text declares this variant. */
function lineOf(file: string, variant: string): number {
  const call = scenarioCalls(file).find((c) => c.text.includes(variant));
  expect(call, `a scenario(…) call in ${file} declares the variant ${variant} (renamed?)`).toBeDefined();
  return call!.line;
}

const where = (t: ChildTest) => `[${t.project}] ${t.title} at ${t.file}:${t.line}:${t.column}`;

test('--list shows each scenario test at its spec file and scenario(…) line; a file filter lists that file only', async ({}, testInfo) => {
  const all = await runChild(testInfo.outputPath('all'), ['--list'], { ...env, FAULTLINE_SPECS: 'specs' });
  expect(all.tests.length, `--list found the scenario tests\n${all.stdout}`).toBeGreaterThan(10);
  const misplaced = all.tests.filter((t) => {
    const file = path.join('specs', t.file);
    const variant = t.title.split(' › ')[1];
    const call = fs.existsSync(file) ? scenarioCalls(file).find((c) => c.line === t.line) : undefined;
    return !call || t.column !== 1 || (variant !== undefined && !call.text.includes(variant));
  });
  expect(misplaced.map(where), BROKE).toEqual([]);
  for (const spec of fs.readdirSync('specs').filter((f) => f.endsWith('.spec.ts'))) {
    for (const call of scenarioCalls(path.join('specs', spec))) {
      expect(all.tests.some((t) => t.file === spec && t.line === call.line), `a test at ${spec}:${call.line}`).toBe(true);
    }
  }
  const line = lineOf('specs/s4-restart-recovery.spec.ts', "'SIGTERM + start'");
  expect(all.stdout, `the list reporter shows the spec line. ${BROKE}`).toContain(`[etcd] › s4-restart-recovery.spec.ts:${line}:1 › etcd › S4 Service restart recovery › SIGTERM + start`);

  const one = await runChild(testInfo.outputPath('file'), ['--list', 'specs/s4-restart-recovery.spec.ts'], { ...env, FAULTLINE_SPECS: 'specs' });
  const expected = all.tests.filter((t) => t.file === 's4-restart-recovery.spec.ts').map(where).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(one.tests.map(where).sort(), `a file filter lists exactly that file's tests. ${BROKE}\n${one.stdout}`).toEqual(expected);
});

test("scenarios declared through a helper module stay in the spec that calls it, at that call's line", async ({}, testInfo) => {
  const file = 'test/fixtures/scenarios/helper-declared.scenario.ts';
  const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('twoVariants(')) + 1;
  const { tests, stdout } = await runChild(testInfo.outputPath('child'), ['--list', `helper-declared.scenario.ts:${line}`], env);
  expect(tests.map(where).sort(), `${BROKE}\n${stdout}`).toEqual(
    ['etcd', 'iam'].flatMap((p) => ['first', 'second'].map((v) => `[${p}] L1 Declared through a helper › ${v} at helper-declared.scenario.ts:${line}:1`)).sort(),
  );
});

test('file:line runs exactly that scenario in every project; JSON, Allure and the gap matrix name the spec', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const out = testInfo.outputPath('child');
  const spec = 's4-restart-recovery.spec.ts';
  const line = lineOf(`specs/${spec}`, "'SIGTERM + start'");
  const title = 'S4 Service restart recovery › SIGTERM + start';
  const projects = ['etcd', 'chainfire', 'flaredb', 'plasmavmc', 'iam'];
  const { tests, stdout } = await runChild(out, [`specs/${spec}:${line}`], env, 'test/fixtures/report.config.ts');

  // Playwright's JSON reporter: exactly this scenario, in every project, at the spec line.
  expect(tests.map((t) => `${where(t)}`).sort(), `${BROKE}\n${stdout.slice(-3000)}`).toEqual(projects.map((p) => `[${p}] ${title} at ${spec}:${line}:1`).sort());
  expect(tests.filter((t) => t.outcome === 'unexpected' || t.outcome === 'flaky').map((t) => `${where(t)}: ${t.error}`)).toEqual([]);
  expect(tests.find((t) => t.project === 'etcd')?.status, 'the etcd test ran on real etcd').toBe('passed');

  // Allure: the test's path (fullName, titlePath, package labels) names the spec file.
  const dir = path.join(out, 'allure-results');
  const results = fs.readdirSync(dir).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  const project = (r: any) => r.parameters?.find((p: any) => p.name === 'Project')?.value as string;
  expect(results.map(project).sort()).toEqual([...projects].sort());
  for (const r of results) {
    expect(r.fullName, BROKE).toBe(`${spec} › ${project(r)} › ${title}`);
    expect(r.titlePath, BROKE).toContain(spec);
    const packages = r.labels.filter((l: any) => l.name === 'package').map((l: any) => l.value as string);
    expect(packages.length).toBeGreaterThan(0);
    for (const p of packages) expect(p, BROKE).toContain('s4-restart-recovery');
  }

  // The gap matrix: each cell's link lands on that project's Allure result, declared at the same line.
  const matrix = JSON.parse(fs.readFileSync(path.join(out, 'gap-matrix', 'gap-matrix.json'), 'utf8'));
  const row = matrix.rows.find((r: any) => r.id === 'S4');
  for (const p of projects) {
    const variant = row.cells.find((c: any) => c.service === p)?.variants.find((v: any) => v.variant === 'SIGTERM + start');
    expect(variant?.location?.line, `the matrix declares ${p}'s variant at the spec line`).toBe(line);
    const target = results.find((r) => project(r) === p);
    expect(variant?.allureLink, `${p}'s matrix link`).toBe(`../allure-report/index.html#/${createHash('md5').update(target.uuid).digest('hex')}`);
  }
  expect(await etcdProcessesUnder(out)).toEqual([]);
});
