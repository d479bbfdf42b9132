// A Playwright JSON report (test-results/scenarios.json) → the matrix's test records, so
// `faultline matrix --results` shows outcomes of a run that already happened.
import fs from 'node:fs';
import path from 'node:path';
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import { FaultlineError } from '../../dsl/errors.ts';
import type { TestRunRecord } from './model.ts';
import { readRecords } from '../../runner/reporter-records.ts';

/** The report given to `faultline matrix --results` cannot be read as a Playwright JSON report. */
export class GapMatrixInputError extends FaultlineError {
  override name = 'GapMatrixInputError';
}

/** The JSON report files looked for when `--results` names a folder. */
export const REPORT_NAMES = ['scenarios.json', 'results.json', 'report.json'];

/** Reads the records of a JSON report file, or of the first known report in a folder. */
export function readJsonReport(fileOrDir: string): TestRunRecord[] {
  let file = fileOrDir;
  if (fs.existsSync(fileOrDir) && fs.statSync(fileOrDir).isDirectory()) {
    const found = REPORT_NAMES.map((n) => path.join(fileOrDir, n)).find((f) => fs.existsSync(f));
    if (!found) throw new GapMatrixInputError(`No Playwright JSON report in "${fileOrDir}" (looked for ${REPORT_NAMES.join(', ')}).\n  Fix: pass the report file itself, e.g. --results test-results/scenarios.json (written by playwright.config.ts).`);
    file = found;
  }
  let report: JSONReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as JSONReport;
  } catch (error) {
    throw new GapMatrixInputError(`Cannot read the Playwright JSON report "${file}" (${(error as Error).message}).\n  Fix: pass a file written by Playwright's json reporter, e.g. test-results/scenarios.json.`);
  }
  if (!Array.isArray(report.suites)) throw new GapMatrixInputError(`"${file}" is not a Playwright JSON report (it has no "suites").\n  Fix: pass a file written by Playwright's json reporter.`);
  const out: TestRunRecord[] = [];
  collect(report.suites, out);
  return out;
}

function collect(suites: JSONReportSuite[], into: TestRunRecord[]): void {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const last = t.results[t.results.length - 1];
        into.push({
          testId: spec.id,
          title: spec.title,
          project: t.projectName,
          tags: spec.tags.map((tag) => tag.replace(/^@/, '')),
          expectedStatus: t.expectedStatus,
          status: last?.status,
          annotations: [...t.annotations, ...(last?.annotations ?? [])].map((a) => ({ type: a.type, description: a.description })),
          // A JSON report carries attachment bodies in base64.
          records: readRecords((last?.attachments ?? []).map((a) => ({ ...a, body: a.body === undefined ? undefined : Buffer.from(a.body, 'base64') }))),
          errors: (last?.errors ?? []).map((e) => e.message ?? ''),
          durationMs: last?.duration,
          startTime: last ? Date.parse(last.startTime) : undefined,
          retries: Math.max(0, t.results.length - 1),
        });
      }
    }
    collect(suite.suites ?? [], into);
  }
}
