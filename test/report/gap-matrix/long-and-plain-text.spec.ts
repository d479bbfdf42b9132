// Foreign text of any length and with any characters: long unbroken names wrap inside their cell in
// Chromium (no cell wider than its column, no page wider than the window), and gap-matrix.md shows
// the text as written — no HTML entities — while a "|" or a newline still cannot break the table.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { chromium } from 'playwright-core';
import type { FullResult } from '@playwright/test/reporter';
import GapMatrixReporter from '../../../report/gap-matrix/reporter.ts';
import { everyOutcome, fakeRun, type FakeTest } from './fake-playwright-results.ts';

const FIXTURES = 'test/report/gap-matrix/fixtures';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const LONG = `/tmp/faultline-nodes-${'0123456789abcdef'.repeat(8)}/node-1.data/member/snap/db`;
const PLAIN = `doesn't "quote" <b>bold</b> & a|pipe\nsecond line`;

/** everyOutcome() with a long unbroken path in a skip reason, an error and a test id, and awkward characters in a reason. */
function awkwardTests(): FakeTest[] {
  const tests = everyOutcome();
  const iam = tests.find((t) => t.service === 'iam' && t.title.endsWith('first'))!;
  iam.results[0]!.annotations = [{ type: 'skip', description: `needs root and a working iptables: ${LONG}` }];
  const etcd = tests.find((t) => t.service === 'etcd' && t.title.endsWith('second'))!;
  etcd.results[0]!.errors = [`Error: could not remove ${LONG}${LONG}`];
  tests.find((t) => t.service === 'iam' && t.title.endsWith('second'))!.results[0]!.annotations = [{ type: 'skip', description: PLAIN }];
  const chainfire = tests.find((t) => t.service === 'chainfire')!;
  chainfire.id = `fake-${'x'.repeat(120)}`;
  return tests;
}

async function writeMatrix(out: string): Promise<string> {
  const { config, suite } = fakeRun(awkwardTests(), FIXTURES);
  const reporter = new GapMatrixReporter({ outputDir: path.join(out, 'gap-matrix'), allureResultsDir: path.join(out, 'allure-results'), allureReportDir: path.join(out, 'allure-report'), quiet: true });
  reporter.onBegin(config, suite);
  await reporter.onEnd({ status: 'failed' } as FullResult);
  return path.join(out, 'gap-matrix');
}

test('long unbroken names wrap inside their cells in Chromium', async ({}, testInfo) => {
  const dir = await writeMatrix(testInfo.outputPath());
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`file://${path.join(dir, 'gap-matrix.html')}`);
    await expect(page.locator('td[data-service="iam"] .reason').first()).toContainText(LONG);
    type Box = { scrollWidth: number; clientWidth: number };
    const overflowing = await page.locator('table.grid td, table.grid th').evaluateAll((cells) =>
      cells.filter((c) => (c as unknown as Box).scrollWidth > (c as unknown as Box).clientWidth + 1).map((c) => c.getAttribute('data-service') ?? c.textContent?.slice(0, 20)),
    );
    expect(overflowing, 'cells whose content is wider than the cell').toEqual([]);
    const page_ = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: Box } }).document.documentElement;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });
    expect(page_.scrollWidth, 'the page needs no horizontal scrolling').toBeLessThanOrEqual(page_.clientWidth);
    await testInfo.attach('gap-matrix-long-names.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  } finally {
    await browser.close();
  }
});

test('gap-matrix.md shows foreign text as written, with "|" escaped and newlines folded so the table holds', async ({}, testInfo) => {
  const md = fs.readFileSync(path.join(await writeMatrix(testInfo.outputPath()), 'gap-matrix.md'), 'utf8');
  expect(md).not.toMatch(/&(#\d+|amp|lt|gt|quot);/);
  expect(md).toContain(`doesn't "quote" \\<b>bold\\</b> & a\\|pipe second line`);
  // Every row of the grid still has one cell per column (Scenario + 5 services).
  const rows = md.split('\n').filter((l) => /^\| \*\*/.test(l));
  for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2, row).toBe(6);
});
