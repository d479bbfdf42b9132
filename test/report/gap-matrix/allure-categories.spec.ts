// allurerc.mjs's categories on results shaped as allure-playwright writes them, through a real
// `allure generate`: gap confirmed / gap not confirmed / gap closed / regression / infrastructure / plan errors, and
// the gap matrix shown as a global attachment.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { writeAllureGlobals } from '../../../report/gap-matrix/allure-globals.ts';
import { INFRASTRUCTURE_PATTERN } from '../../../report/gap-matrix/infrastructure.ts';

/** name → [Allure status, message]: what each kind of test looks like in allure-results. */
const RESULTS: Record<string, [string, string | undefined]> = {
  'gap confirmed': ['passed', 'Error: expected put "k" to succeed, it failed 4 times'],
  'gap closed': ['failed', undefined],
  'gap not confirmed (a wrong .proto)': ['failed', 'DocGapNotConfirmedError: DOC-GAP not confirmed: iam failed for a reason that is not the documented gap: OperationError: put "k" = "v1" failed after 1 attempt(s): UNIMPLEMENTED'],
  'gap not confirmed (a node that never started)': ['failed', 'DocGapNotConfirmedError: DOC-GAP not confirmed: iam failed for a reason that is not the documented gap: NodeProcessError: node-1 exited while starting.'],
  'gap not confirmed (a plan error)': ['failed', 'DocGapNotConfirmedError: DOC-GAP not confirmed: etcd failed for a reason that is not the documented gap: ScenarioError: no such node.\n  Fix: use cluster.node(1).'],
  regression: ['failed', 'Error: Expected to read "k" = "v2", read "v1"'],
  'timed out TEST': ['broken', 'Test timeout of 120000ms exceeded.'],
  infrastructure: ['failed', 'ReadinessTimeoutError: cluster leader not reached after 10s'],
  'gap "confirmed" by a missing binary': ['passed', 'NodeProcessError: Could not start "etcd" for node-1: ENOENT'],
  'plan error': ['failed', 'ScenarioError: node-5 does not exist: the cluster has 3 nodes.\n  Fix: use cluster.node(1) to cluster.node(3).'],
  'plain pass': ['passed', undefined],
};

const EXPECTED: Record<string, string | undefined> = {
  'gap confirmed': 'gap-confirmed',
  'gap closed': 'gap-closed',
  'gap not confirmed (a wrong .proto)': 'gap-not-confirmed',
  'gap not confirmed (a node that never started)': 'gap-not-confirmed',
  'gap not confirmed (a plan error)': 'gap-not-confirmed',
  regression: 'regression',
  'timed out TEST': 'regression',
  infrastructure: 'infrastructure',
  'gap "confirmed" by a missing binary': 'infrastructure',
  'plan error': 'plan-errors',
  'plain pass': undefined,
};

test('the infrastructure pattern in allurerc.mjs is the one report/gap-matrix/infrastructure.ts keeps for Allure', async () => {
  const source = fs.readFileSync('allurerc.mjs', 'utf8');
  expect(source).toContain(`const INFRASTRUCTURE = ${INFRASTRUCTURE_PATTERN.toString()};`);
  const config = (await import(pathToFileURL(path.resolve('allurerc.mjs')).href)).default;
  expect(config.categories.rules.map((r: { id: string }) => r.id)).toEqual(['gap-not-confirmed', 'infrastructure', 'plan-errors', 'gap-closed', 'gap-confirmed', 'regression']);
});

test('allure generate files each kind of result under its category and shows the matrix as a global attachment', async ({}, testInfo) => {
  test.setTimeout(60_000);
  const results = testInfo.outputPath('allure-results');
  const report = testInfo.outputPath('allure-report');
  fs.mkdirSync(results, { recursive: true });
  for (const [name, [status, message]] of Object.entries(RESULTS)) {
    const uuid = randomUUID();
    const now = Date.now();
    fs.writeFileSync(path.join(results, `${uuid}-result.json`), JSON.stringify({
      uuid, name, fullName: `specs/x.spec.ts#${name}`, historyId: uuid, testCaseId: uuid, status, stage: 'finished',
      statusDetails: message ? { message } : {}, labels: [{ name: 'parentSuite', value: 'etcd' }], parameters: [], links: [], steps: [], attachments: [], start: now, stop: now + 5,
    }));
  }
  writeAllureGlobals(results, [{ name: 'Gap matrix (HTML)', content: '<h1>matrix</h1>', contentType: 'text/html', extension: 'html' }]);
  const r = await execa('npx', ['allure', 'generate', results, '--config', 'allurerc.mjs', '-o', report], { reject: false, all: true });
  expect(r.exitCode, String(r.all)).toBe(0);
  const dir = path.join(report, 'data', 'test-results');
  const rules = (await import(pathToFileURL(path.resolve('allurerc.mjs')).href)).default.categories.rules as { id: string; name: string }[];
  const idOf = (name?: string) => rules.find((rule) => rule.name === name)?.id;
  const categories = Object.fromEntries(fs.readdirSync(dir).map((f) => {
    const tr = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    return [tr.name, idOf(tr.categories?.[0]?.name)];
  }));
  expect(categories).toEqual(EXPECTED);
  const globals = JSON.parse(fs.readFileSync(path.join(report, 'widgets', 'globals.json'), 'utf8'));
  expect(globals.attachments.map((a: { name: string }) => a.name)).toEqual(['Gap matrix (HTML)']);
});
