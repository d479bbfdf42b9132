// Shared by the timeline's browser tests: Debian's Chromium (nothing to download) and an SVG put on a page.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';

/** The DOM types this project's tsconfig leaves out (no "dom" lib), as far as these tests use them. */
type Box = { x: number; y: number; width: number; height: number };
type SvgShape = { getBBox(): Box };
type XmlParser = new () => { parseFromString(text: string, type: string): { querySelector(q: string): { textContent: string | null } | null } };

/** Launch options for /usr/bin/chromium, headless, with nothing reaching the network. */
export const CHROMIUM = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  },
};

/** Puts the SVG inline in a minimal page and reports whether the standalone document parses as XML. */
export async function showSvg(page: Page, svg: string): Promise<{ xmlError: string | null }> {
  await page.setViewportSize({ width: 1300, height: 800 });
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">${svg.replace(/^<\?xml[^>]*\?>\s*/, '')}</body></html>`);
  const xmlError = await page.evaluate((text) => {
    const Parser = (globalThis as unknown as { DOMParser: XmlParser }).DOMParser;
    const doc = new Parser().parseFromString(text, 'image/svg+xml');
    return doc.querySelector('parsererror')?.textContent ?? null;
  }, svg);
  return { xmlError };
}

/** The rendered boxes (SVG user units) of every element the locator matches. */
export async function boxes(locator: Locator): Promise<Box[]> {
  return locator.evaluateAll((els) => els.map((e) => {
    const b = (e as unknown as SvgShape).getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }));
}

/** Attaches a screenshot of the picture; with TIMELINE_SNAPSHOT_DIR set, also saves it there to look at. */
export async function attachPicture(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const png = await page.locator('svg.faultline-timeline').screenshot();
  await testInfo.attach('timeline.png', { body: png, contentType: 'image/png' });
  const dir = process.env.TIMELINE_SNAPSHOT_DIR;
  if (dir) fs.writeFileSync(path.join(dir, `${name}.png`), png);
}
