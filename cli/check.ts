// `faultline check <history.jsonl>…`: checks histories recorded anywhere; the exit code is the verdict,
// so CI can gate on it: 0 linearizable, 1 only for an anomaly found, 2 for anything else — a budget
// that ran out, unusable input, or a failure inside the checker (never turned into a verdict).
import { readFile } from 'node:fs/promises';
import { withAmbiguousAttempts } from '../checker/ambiguous-attempts.ts';
import { checkHistory, parseHistoryBytes, type CheckResult } from '../checker/index.ts';
import { FaultlineError } from '../dsl/errors.ts';
import { parseCheckArgs, USAGE, type CheckArgs } from './check-args.ts';
import { formatSummary, formatVerdictLine } from './check-summary.ts';

const EXIT = { linearizable: 0, 'not-linearizable': 1, unknown: 2 } as const;
/** How bad each exit code is when several files are checked: a found anomaly outranks "unknown". */
const SEVERITY: Record<number, number> = { 0: 0, 2: 1, 1: 2 };

/** One file's outcome: a result, or why there is none (the message says what happened and the fix). */
type FileOutcome = { file: string; result: CheckResult } | { file: string; problem: string; internal: boolean };

/** Runs the command; returns the exit code instead of exiting, so tests and other commands can call it. */
export async function runCheck(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseCheckArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`faultline check: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  let worst = 0;
  for (const file of parsed.files) {
    const outcome = await checkFile(file, parsed);
    const code = 'result' in outcome ? EXIT[outcome.result.verdict] : 2;
    report(outcome, parsed);
    if (SEVERITY[code]! > SEVERITY[worst]!) worst = code;
  }
  if (parsed.files.length > 1 && !parsed.json) process.stdout.write(`Checked ${parsed.files.length} files: exit ${worst}\n`);
  return worst;
}

/** Reads, parses and checks one file; every failure becomes a problem with exit 2, never a verdict. */
export async function checkFile(file: string, args: Pick<CheckArgs, 'strict' | 'options'>): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { file, internal: false, problem: `cannot read history file "${file}" (${(error as Error).message}).\n  Fix: pass the path of a JSON-lines history file.` };
  }
  try {
    const ops = parseHistoryBytes(bytes, file);
    if (ops.length === 0) {
      return { file, internal: false, problem: `history file "${file}" holds no operations, so it proves nothing.\n  Fix: record at least one operation, one JSON object per line (see docs/history-format.md).` };
    }
    return { file, result: checkHistory(args.strict ? ops : withAmbiguousAttempts(ops), args.options) };
  } catch (error) {
    if (error instanceof FaultlineError) return { file, internal: false, problem: error.message };
    return { file, internal: true, problem: internalProblem(file, error) };
  }
}

/** A failure inside the checker is a bug, reported as such with where it happened — never a verdict. */
function internalProblem(file: string, error: unknown): string {
  const [name, message, stack] = error instanceof Error ? [error.name, error.message, error.stack ?? ''] : ['thrown value', String(error), ''];
  const frames = stack.split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 5).join('\n');
  return `internal error while checking "${file}": ${name}: ${message}\n` +
    '  This is a bug in Faultline\'s checker, not a verdict about the history (exit 2).\n' +
    `  Fix: report it with the history file attached.${frames ? `\n${frames}` : ''}`;
}

function report(outcome: FileOutcome, args: CheckArgs): void {
  const many = args.files.length > 1;
  if ('problem' in outcome) {
    if (args.json && many) process.stdout.write(`${JSON.stringify({ file: outcome.file, exit: 2, error: outcome.problem, internal: outcome.internal })}\n`);
    else if (many) process.stdout.write(`! ${outcome.file}: ${outcome.internal ? 'internal error' : 'unusable'} — ${outcome.problem.split('\n')[0]}\n`);
    process.stderr.write(`faultline check: ${outcome.problem}\n`);
    return;
  }
  const { file, result } = outcome;
  if (args.json) process.stdout.write(many ? `${JSON.stringify({ file, exit: EXIT[result.verdict], result })}\n` : `${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(many ? `${formatVerdictLine(file, result)}\n` : formatSummary(file, result));
}
