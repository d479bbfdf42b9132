// `faultline lint [paths…]`: the specs' matrices checked without running anything — duplicates,
// unknown statuses and services, missing or non-literal matrices, cells that disagree with the seed,
// and the seed rows nobody wrote yet. Exit 1 when there is anything to fix.
import { formatDiagnostic } from '../report/static/diagnostic.ts';
import { lintSpecs } from '../report/static/lint.ts';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../report/static/diagnostic.ts';
import { readSpecs } from '../report/static/read-specs.ts';
import { observerAsSubject } from '../dsl/subject-rule.ts';
import { specPatterns } from './spec-patterns.ts';

const USAGE = `Usage: faultline lint [spec files or folders…]   (default: specs/**/*.spec.ts)
Prints one line per finding as file:line: message. Exit codes: 0 clean, 1 findings, 2 usage.`;

/** Runs the command and returns its exit code. */
export async function runLint(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (process.stdout.write(`${USAGE}\n`), 0);
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) return (process.stderr.write(`faultline lint: unknown option "${unknown}".\n${USAGE}\n`), 2);
  const { patterns, root } = specPatterns(args);
  const diagnostics = [...lintSpecs({ patterns, root }), ...(await subjectFindings(patterns))];
  for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  process.stdout.write(diagnostics.length ? `\n${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'}.\n` : 'No findings.\n');
  return diagnostics.length ? 1 : 0;
}

/**
 * Records each spec's plans (plan-only: nothing registers or starts) and applies the observer/subject rule:
 * a TEST or DOC-GAP cell's retry or watch expectation judged on Faultline's own client is a finding.
 */
async function subjectFindings(patterns: string[] | undefined): Promise<Diagnostic[]> {
  process.env.FAULTLINE_PLAN_ONLY = '1';
  const { recordedPlans } = await import('../faultline.ts');
  const files = [...new Set(readSpecs({ patterns }).scenarios.map((s) => s.location.file))];
  for (const file of files) await import(pathToFileURL(path.resolve(file)).href).catch(() => undefined);
  return recordedPlans.flatMap((plan) => observerAsSubject(plan).map((f) => ({ file: path.relative(process.cwd(), f.location?.file ?? ''), line: f.location?.line ?? 0, column: f.location?.column ?? 0, message: f.message })));
}
