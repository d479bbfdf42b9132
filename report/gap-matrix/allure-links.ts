// Links a test to its entry in the Allure 3 report: allure-playwright writes `<uuid>-result.json`
// during the run, and the report addresses that result as `index.html#/<md5(uuid)>`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestRunRecord } from './model.ts';

interface AllureResult {
  uuid: string;
  name?: string;
  start?: number;
  parameters?: { name: string; value: string }[];
}

/** How far apart Playwright's and Allure's start times may be for one test. */
const START_TOLERANCE_MS = 10_000;

/** testId → link relative to `fromDir`, for each test with a result in `resultsDir` (older runs ignored). */
export function allureLinks(runs: readonly TestRunRecord[], resultsDir: string, reportDir: string, fromDir: string): Map<string, string> {
  const links = new Map<string, string>();
  if (!fs.existsSync(resultsDir)) return links;
  const results = fs.readdirSync(resultsDir).filter((f) => f.endsWith('-result.json')).flatMap((f) => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8')) as AllureResult];
    } catch {
      return []; // a result being written right now, or not ours: no link rather than no matrix
    }
  });
  const base = path.relative(fromDir, path.join(reportDir, 'index.html')).split(path.sep).join('/');
  for (const run of runs) {
    if (run.startTime === undefined) continue;
    const candidates = results.filter((r) => r.name === run.title && r.parameters?.some((p) => p.name === 'Project' && p.value === run.project) && Math.abs((r.start ?? 0) - run.startTime!) <= START_TOLERANCE_MS);
    const best = candidates.sort((a, b) => Math.abs((a.start ?? 0) - run.startTime!) - Math.abs((b.start ?? 0) - run.startTime!))[0];
    if (best) links.set(run.testId, `${base}#/${createHash('md5').update(best.uuid).digest('hex')}`);
  }
  return links;
}
