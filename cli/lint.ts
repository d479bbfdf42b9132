// `faultline lint [paths…]`: the specs' matrices checked without running anything — duplicates,
// unknown statuses and services, missing or non-literal matrices, cells that disagree with the seed,
// and the seed rows nobody wrote yet. Exit 1 when there is anything to fix.
import { formatDiagnostic } from '../report/static/diagnostic.ts';
import { lintSpecs } from '../report/static/lint.ts';
import { specPatterns } from './spec-patterns.ts';

const USAGE = `Usage: faultline lint [spec files or folders…]   (default: specs/**/*.spec.ts)
Prints one line per finding as file:line: message. Exit codes: 0 clean, 1 findings, 2 usage.`;

/** Runs the command and returns its exit code. */
export async function runLint(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (process.stdout.write(`${USAGE}\n`), 0);
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) return (process.stderr.write(`faultline lint: unknown option "${unknown}".\n${USAGE}\n`), 2);
  const { patterns, root } = specPatterns(args);
  const diagnostics = lintSpecs({ patterns, root });
  for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  process.stdout.write(diagnostics.length ? `\n${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'}.\n` : 'No findings.\n');
  return diagnostics.length ? 1 : 0;
}
