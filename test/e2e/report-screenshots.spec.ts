// The README's pictures, from a real run: the S4 scenarios on real etcd in a child Playwright,
// the Allure report built from its results, both pages opened in headless Chromium and checked.
// FAULTLINE_UPDATE_SCREENSHOTS=1 also writes docs/images/{allure-report,gap-matrix}.png.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { chromium, type Page } from 'playwright-core';
import { etcdProcessesUnder } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const CLI = path.resolve('node_modules/@playwright/test/cli.js');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
/** The steps a reader of the README should see: the fault, the heal and the verdicts. */
const STEPS = ['start a cluster of 3 nodes', 'kill -9 node-1', 'start node-1', 'expect put "s4/during" = "v2" via the client under test (node-1) to retry as its own client claims', 'expect the cluster to be consistent (linearizable, no lost write)'];

/** Serves `root` read-only on 127.0.0.1 (Allure's app fetches its data, so file:// will not do). */
async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(root, path.normalize(rel));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file.startsWith(root) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Opens the tree section by section (Allure 3 starts it collapsed) until a test shows. */
/** Opens the tree along service › scenario › variant (allurerc.mjs groups by these labels). */
async function expandTree(page: Page): Promise<void> {
  for (const section of ['etcd', 'S4 Service restart recovery', 'kill -9 + start']) {
    await page.getByTestId('tree-section-title').filter({ hasText: new RegExp(`^${section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
  }
}

test('README screenshots: the Allure report of a real S4 run and its gap matrix', async ({}, testInfo) => {
  test.setTimeout(360_000);
  const out = testInfo.outputPath('child');
  fs.mkdirSync(out, { recursive: true });
  const run = await execa('node', [CLI, 'test', '-c', 'test/fixtures/report.config.ts', '--grep', 'S4'], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: out, FAULTLINE_PORT_BASE: String(PORT_BASES.reportScreenshots) },
  });
  const stats = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).stats;
  expect(stats, String(run.all).slice(-4000)).toMatchObject({ unexpected: 0, flaky: 0 });
  expect(stats.expected, 'the three S4 variants passed on etcd').toBeGreaterThanOrEqual(3);
  expect(await etcdProcessesUnder(out)).toEqual([]);

  const generate = await execa('npx', ['allure', 'generate', path.join(out, 'allure-results'), '--config', 'allurerc.mjs', '-o', path.join(out, 'allure-report')], { reject: false, all: true });
  expect(generate.exitCode, String(generate.all)).toBe(0);

  const server = await serve(out);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1240 } });
    // Nothing leaves the machine: the report's external fonts or links are refused.
    await page.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));

    await page.goto(`${server.url}/allure-report/`);
    await expect(page.getByTestId('report-title')).toHaveText('Faultline — T040.S4 Service Reconnection');
    await page.getByTestId('toggle-layout-button').click(); // the tree beside the test
    await page.getByTestId('tab-passed').click();
    await expandTree(page);
    await page.getByTestId('tree-leaf').filter({ hasText: 'S4 Service restart recovery › kill -9 + start' }).click();
    await expect(page.getByTestId('test-result-status-passed')).toBeVisible();
    const description = page.getByTestId('test-result-description-frame');
    await expect(description.contentFrame().getByText('Verify clients reconnect after service restart')).toBeVisible();
    const steps = page.getByTestId('test-result-step-title');
    for (const step of STEPS) await expect(steps.filter({ hasText: step }).first()).toBeVisible();
    await steps.filter({ hasText: STEPS.at(-1)! }).scrollIntoViewIfNeeded();
    const allure = await page.screenshot();

    await page.goto(`${server.url}/gap-matrix/gap-matrix.html`);
    const s4 = page.locator('table.grid tr[data-scenario="S4"]');
    await expect(s4.locator('td[data-service="etcd"]')).toHaveAttribute('data-outcome', 'passed');
    await expect(s4.locator('th')).toHaveText(/S4\s*Service restart recovery/);
    await expect(s4.locator('td[data-service="etcd"] ul.variants li')).toHaveText([/SIGTERM \+ start — passed/, /kill -9 \+ start — passed/, /SIGSTOP\/SIGCONT freeze — passed/, /kill -9 \+ start, etcdctl on every member — passed/]);
    const matrix = await page.screenshot({ fullPage: true });

    await testInfo.attach('allure-report.png', { body: allure, contentType: 'image/png' });
    await testInfo.attach('gap-matrix.png', { body: matrix, contentType: 'image/png' });
    if (process.env.FAULTLINE_UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync('docs/images', { recursive: true });
      fs.writeFileSync('docs/images/allure-report.png', allure);
      fs.writeFileSync('docs/images/gap-matrix.png', matrix);
    }
  } finally {
    await browser.close();
    await server.close();
  }
});
