// The gap-matrix reporter on fake results (fake-playwright-results.ts): every cell outcome, worst
// variant wins, recommendations, Allure links and global attachments, and the HTML in Chromium.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { chromium } from 'playwright-core';
import type { FullResult } from '@playwright/test/reporter';
import GapMatrixReporter from '../../../report/gap-matrix/reporter.ts';
import type { GapCell, GapMatrix } from '../../../report/gap-matrix/model.ts';
import { everyOutcome, fakeRun } from './fake-playwright-results.ts';

const FIXTURES = 'test/report/gap-matrix/fixtures';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function runReporter(out: string, tests = everyOutcome(), allure?: string): Promise<GapMatrix> {
  const { config, suite } = fakeRun(tests, FIXTURES);
  const reporter = new GapMatrixReporter({ outputDir: path.join(out, 'gap-matrix'), allureResultsDir: allure ?? path.join(out, 'allure-results'), allureReportDir: path.join(out, 'allure-report'), quiet: true });
  reporter.onBegin(config, suite);
  await reporter.onEnd({ status: 'failed' } as FullResult);
  return JSON.parse(fs.readFileSync(path.join(out, 'gap-matrix', 'gap-matrix.json'), 'utf8')) as GapMatrix;
}

/** The browser globals the page checks use (tsconfig has no DOM lib). */
type PageWindow = { getComputedStyle(e: unknown): { backgroundColor: string }; __pwned?: number };

const cell = (m: GapMatrix, id: string, service: string): GapCell => m.rows.find((r) => r.id === id)!.cells.find((c) => c.service === service)!;

test('every outcome: passed, failed, gap confirmed, gap closed, skipped, not configured, n/a, not run', async ({}, testInfo) => {
  const m = await runReporter(testInfo.outputPath());
  expect(m.rows.map((r) => r.id)).toEqual(['G1', 'G2', 'S4']);
  expect(m.services).toEqual(['etcd', 'chainfire', 'flaredb', 'plasmavmc', 'iam']);
  const outcomes = Object.fromEntries(m.rows.map((r) => [r.id, r.cells.map((c) => c.outcome)]));
  expect(outcomes).toEqual({
    G1: ['failed', 'not configured', 'gap confirmed', 'gap closed', 'skipped'],
    G2: ['not run', 'n/a', 'not run', 'n/a', 'n/a'],
    S4: ['not run', 'not run', 'not run', 'failed', 'gap confirmed'],
  });
  // Variants aggregate: the worst outcome wins and each variant is listed.
  expect(cell(m, 'G1', 'etcd').variants.map((v) => [v.variant, v.outcome, v.durationMs])).toEqual([['first', 'passed', 5100], ['second', 'failed', 7000]]);
  expect(cell(m, 'G1', 'etcd').durationMs).toBe(12100);
  expect(cell(m, 'G1', 'etcd').variants[1]!.errors[0]).toContain('Expected to read "k" = "v2", read "v1"');
  expect(cell(m, 'G1', 'plasmavmc').variants.map((v) => v.outcome)).toEqual(['gap closed', 'gap confirmed']);
  expect(cell(m, 'G1', 'iam').variants[0]!.reason).toBe('SKIP: no IAM cluster here (fixture)');
  expect(cell(m, 'G1', 'chainfire').variants[0]!.reason).toContain('not configured');
  expect(cell(m, 'G2', 'etcd').variants[0]!.reason).toContain('filtered out');
  // A documented gap "confirmed" by a node that never became ready proves nothing.
  expect(cell(m, 'S4', 'plasmavmc').variants[0]!.reason).toContain('infrastructure');
});

test('declared status, seed status and recommendations per cell', async ({}, testInfo) => {
  const m = await runReporter(testInfo.outputPath());
  expect(cell(m, 'G1', 'flaredb')).toMatchObject({ declared: ['DOC-GAP'], recommendation: 'Add an application-level reconnect loop.' });
  expect(cell(m, 'G1', 'etcd').recommendation).toBeUndefined();
  expect(cell(m, 'S4', 'iam')).toMatchObject({ declared: ['DOC-GAP'], seed: 'DOC-GAP', recommendation: 'IAM Client: Add exponential backoff retry' });
  expect(cell(m, 'S4', 'plasmavmc').recommendation).toBe('PlasmaVMC: Add retry logic for remote service calls');
  expect(cell(m, 'G2', 'chainfire')).toMatchObject({ declared: ['n/a'], variants: [] });
  expect(m.unwritten.map((r) => r.id)).toEqual(['S1', 'S2', 'S3', 'S5']);
  expect(m.unmatched).toEqual([]);
});

test('links each test to its Allure entry when allure-playwright wrote a result for it, else keeps the test id', async ({}, testInfo) => {
  const out = testInfo.outputPath();
  const allure = path.join(out, 'allure-results');
  fs.mkdirSync(allure, { recursive: true });
  const tests = everyOutcome();
  const start = new Date();
  tests[0]!.results[0]!.startTime = start;
  const uuid = '3fa2c8fa-30e6-40cd-b61f-e7ad8da65146';
  fs.writeFileSync(path.join(allure, `${uuid}-result.json`), JSON.stringify({ uuid, name: tests[0]!.title, start: start.getTime() + 40, parameters: [{ name: 'Project', value: 'etcd' }] }));
  const m = await runReporter(out, tests, allure);
  const [first, second] = cell(m, 'G1', 'etcd').variants;
  expect(first!.allureLink).toBe('../allure-report/index.html#/43e903dafce6205087f684c1d04620e2');
  expect(second!.allureLink).toBeUndefined();
  expect(second!.testId).toBe(tests[1]!.id);
});

test('writes json, md and html, and attaches the matrix to Allure as global attachments', async ({}, testInfo) => {
  const out = testInfo.outputPath();
  await runReporter(out);
  expect(fs.readdirSync(path.join(out, 'gap-matrix')).sort()).toEqual(['gap-matrix.html', 'gap-matrix.json', 'gap-matrix.md']);
  const md = fs.readFileSync(path.join(out, 'gap-matrix', 'gap-matrix.md'), 'utf8');
  expect(md).toContain('| **G1** Every outcome | ❌ failed (TEST) | ⚙️ not configured (TEST) | 🟧 gap confirmed (DOC-GAP) | 🟪 gap closed (DOC-GAP) | ⏭️ skipped (SKIP) |');
  // Error text sits in fenced blocks (shown literally); anywhere else foreign text is escaped.
  let fenced = false;
  const outside = md.split('\n').filter((line) => (/^\s*~~~/.test(line) ? ((fenced = !fenced), false) : !fenced)).join('\n');
  expect(md).toContain('Error: watch did not resume <script>');
  expect(outside).not.toContain('<script');
  const allure = path.join(out, 'allure-results');
  const globals = fs.readdirSync(allure).filter((f) => f.endsWith('-globals.json'));
  expect(globals).toHaveLength(1);
  const { attachments } = JSON.parse(fs.readFileSync(path.join(allure, globals[0]!), 'utf8'));
  expect(attachments.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([['Gap matrix (HTML)', 'text/html'], ['Gap matrix (Markdown)', 'text/markdown']]);
  for (const a of attachments) expect(fs.existsSync(path.join(allure, a.source))).toBe(true);
});

test('the HTML in Chromium: a row per scenario, a column per service, a <script> in an error stays text', async ({}, testInfo) => {
  const out = testInfo.outputPath();
  await runReporter(out);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`file://${path.join(out, 'gap-matrix', 'gap-matrix.html')}`);
    const grid = page.locator('table.grid');
    await expect(grid.locator('tbody tr')).toHaveCount(3);
    expect(await grid.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-scenario')))).toEqual(['G1', 'G2', 'S4']);
    expect(await grid.locator('thead th[data-service]').allInnerTexts()).toEqual(['etcd', 'ChainFire', 'FlareDB', 'PlasmaVMC', 'IAM']);
    for (const row of await grid.locator('tbody tr').all()) await expect(row.locator('td')).toHaveCount(5);
    await expect(grid.locator('tr[data-scenario="G1"] td[data-service="plasmavmc"]')).toHaveAttribute('data-outcome', 'gap closed');
    const colours = await grid.locator('tr[data-scenario="G1"] td').evaluateAll((tds) => tds.map((td) => (globalThis as unknown as PageWindow).getComputedStyle(td).backgroundColor));
    expect(new Set(colours).size).toBe(5);
    await expect(page.locator('ul.legend li')).toHaveCount(9);
    await expect(page.locator('script')).toHaveCount(0);
    await expect(grid.locator('td[data-service="flaredb"] pre.error').first()).toHaveText('Error: watch did not resume <script>window.__pwned = 1</script>');
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).__pwned)).toBeUndefined();
    await testInfo.attach('gap-matrix.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  } finally {
    await browser.close();
  }
});
