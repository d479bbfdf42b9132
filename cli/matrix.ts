// `faultline matrix [--results <dir|json>] [--json] [paths…]`: the declared matrix read from the
// specs without running them, merged with the outcomes of a past run when given its JSON report.
import { buildGapMatrix } from '../report/gap-matrix/build.ts';
import { readJsonReport } from '../report/gap-matrix/from-json-report.ts';
import type { TestRunRecord } from '../report/gap-matrix/model.ts';
import { renderText } from '../report/gap-matrix/render-text.ts';
import { readSpecs } from '../report/static/read-specs.ts';
import { specPatterns } from './spec-patterns.ts';

const USAGE = `Usage: faultline matrix [--results <dir|json>] [--json] [spec files or folders…]
  --results <dir|json>  merge the outcomes of a Playwright JSON report (test-results/scenarios.json)
  --json                print the matrix as JSON (the shape of gap-matrix.json)
Rows are scenario ids, columns etcd and the seed's services. Exit codes: 0 printed, 2 usage or unreadable report.`;

/** Runs the command and returns its exit code. */
export async function runMatrix(args: string[]): Promise<number> {
  let results: string | undefined;
  let json = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return (process.stdout.write(`${USAGE}\n`), 0);
    if (a === '--json') json = true;
    else if (a === '--results') {
      results = args[++i];
      if (!results) return usage('--results needs a Playwright JSON report or the folder holding it.');
    } else if (a.startsWith('-')) return usage(`unknown option "${a}".`);
    else paths.push(a);
  }
  let runs: TestRunRecord[] | undefined;
  if (results) {
    try {
      runs = readJsonReport(results);
    } catch (error) {
      process.stderr.write(`faultline matrix: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const reading = readSpecs({ patterns: specPatterns(paths).patterns });
  const matrix = buildGapMatrix(reading.scenarios, runs);
  process.stdout.write(json ? `${JSON.stringify(matrix, null, 2)}\n` : renderText(matrix));
  for (const d of reading.diagnostics) process.stderr.write(`${d.file}:${d.line}: ${d.message}\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`faultline matrix: ${message}\n${USAGE}\n`);
  return 2;
}
