// Every string the timeline did not write is escaped: it shows as text, never runs, never breaks the XML.
import { test, expect } from '@playwright/test';
import { escapeXml, renderTimeline } from '../../../report/timeline/index.ts';
import type { OpRecord } from '../../../runner/records/history.ts';
import { attachPicture, CHROMIUM, showSvg } from './show-svg.ts';

test.use(CHROMIUM);

test('escapeXml escapes the five XML specials and replaces characters XML cannot hold', () => {
  expect(escapeXml(`&"'<>`)).toBe('&amp;&quot;&#39;&lt;&gt;');
  expect(escapeXml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(escapeXml('&amp;')).toBe('&amp;amp;');
  expect(escapeXml('a\u0000b\u001Fc\tnew\nline')).toBe('a\uFFFDb\uFFFDc\tnew\nline');
  expect(escapeXml('lone \uD800 surrogate, pair 😀')).toBe('lone \uFFFD surrogate, pair 😀');
  expect(escapeXml('node-1 → kill -9')).toBe('node-1 → kill -9');
});

const KEY = '<script>alert(1)</script>';
const VALUE = `"><img src=x onerror="window.__xss=2">`;
const ERROR = `&"'<>`;
const NODE = `node-<b>&"'`;
const TITLE = `S4 <script>window.__xss=3</script> › kill & "restart"`;
const PROCESS = '</text><script>window.__xss=4</script>';

test('hostile title, node, key, value, error and process show as text in Chromium and run nothing', async ({ page }, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const op: OpRecord = {
    id: 1, process: PROCESS, op: 'put', key: KEY, value: VALUE, invoke: 10, complete: 980, outcome: 'fail', error: `put failed: ${ERROR}\u0007`,
    attempts: [
      { n: 1, start: 10, end: 20, endpoint: `${NODE}@127.0.0.1:1`, status: 'UNAVAILABLE', error: ERROR },
      { n: 2, start: 520, end: 530, endpoint: `${NODE}@127.0.0.1:1`, status: 'UNAVAILABLE', error: ERROR },
    ],
  };
  const svg = renderTimeline({
    title: TITLE,
    nodes: [NODE],
    events: [
      { t: 1, kind: 'spawn', node: NODE, pid: 1, detail: 'etcd' },
      { t: 5, kind: 'ready', node: NODE, pid: 1 },
      { t: 100, kind: 'fault.start', id: 1, holds: true, lane: 'blocked', title: '<x>', nodes: [NODE], fault: '<x>', detail: `block ${NODE} <iptables>` },
      { t: 200, kind: 'signal', node: NODE, pid: 1, detail: '<SIGWHAT>' as NodeJS.Signals },
    ],
    history: [op],
    verdict: { text: `<b>bold</b> & "quoted"`, ok: false },
    end: 1000,
  });
  expect(svg).not.toContain('<script');
  expect(svg).not.toContain('<img');
  expect(svg).not.toContain('<b>');

  const { xmlError } = await showSvg(page, svg);
  expect(xmlError, 'the standalone SVG must parse as XML').toBeNull();
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await expect(page.locator('script, img, b')).toHaveCount(0);

  await expect(page.locator('svg .title')).toHaveText(TITLE);
  await expect(page.locator('.lane .lane-label')).toHaveText(NODE);
  await expect(page.locator('.verdict text')).toHaveText(`✗ <b>bold</b> & "quoted"`);
  const bar = page.locator('g.op');
  expect(await bar.getAttribute('data-key')).toBe(KEY);
  await expect(bar.locator('text')).toHaveText(`put ${KEY}=${VALUE}  ✗ UNAVAILABLE: ${ERROR}`);
  const tip = await bar.locator('title').textContent();
  expect(tip).toContain(`#1 put ${JSON.stringify(KEY)}, value ${JSON.stringify(VALUE)} → fail`);
  expect(tip).toContain(`error: put failed: ${ERROR}\uFFFD`);
  expect(tip).toContain(`#2 ${NODE}@127.0.0.1:1 at +510ms, took 10ms: UNAVAILABLE ${ERROR}`);
  await expect(page.locator('.fault text')).toHaveText(`block ${NODE} <iptables>`);
  await expect(page.locator('[data-lane] .lane-note')).toHaveText('<SIGWHAT>');
  await expect(page.locator('.client-label title')).toHaveText(PROCESS);
  expect(await page.locator('g.client').getAttribute('data-process')).toBe(PROCESS);
  await attachPicture(page, testInfo, 'timeline-escape');
});
