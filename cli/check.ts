// `faultline check <history.jsonl>`: checks a history recorded anywhere; the exit code is the verdict,
// so CI can gate on it: 0 linearizable, 1 not, 2 unknown (or unusable input) — unknown is never a pass.
import { readFile } from 'node:fs/promises';
import {
  checkHistory,
  DEFAULT_MAX_STATES,
  HistoryFormatError,
  parseHistory,
  type CheckOptions,
  type CheckResult,
  type KeyResult,
} from '../checker/index.ts';
import { withAmbiguousAttempts } from '../checker/ambiguous-attempts.ts';

const USAGE = `Usage: faultline check <history.jsonl> [--json] [--strict] [--budget <states>] [--timeout <ms>]
  --json             print the machine-readable result instead of the summary
  --strict           each operation is one write: an unanswered earlier attempt of an acknowledged
                     write may NOT take effect on its own (by default it may, as toBeConsistent() allows)
  --budget <states>  most search states per key before its verdict is "unknown" (default ${DEFAULT_MAX_STATES})
  --timeout <ms>     wall-clock limit for the whole check; unfinished keys are "unknown"
Exit codes: 0 linearizable, 1 not linearizable (or a lost write), 2 unknown or unusable input.
The file format is described in docs/history-format.md.`;

const EXIT = { linearizable: 0, 'not-linearizable': 1, unknown: 2 } as const;
const KEYS_LISTED = 20;

interface CheckArgs {
  file: string;
  json: boolean;
  strict: boolean;
  options: CheckOptions;
}

/** Runs the command; returns the exit code instead of exiting, so tests and other commands can call it. */
export async function runCheck(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') return usageError(parsed);
  let text: string;
  try {
    text = await readFile(parsed.file, 'utf8');
  } catch (error) {
    return usageError(`cannot read history file "${parsed.file}" (${(error as Error).message}).\n  Fix: pass the path of a JSON-lines history file.`);
  }
  let result: CheckResult;
  try {
    const ops = parseHistory(text, parsed.file);
    if (ops.length === 0) {
      return usageError(`history file "${parsed.file}" holds no operations, so it proves nothing.\n  Fix: record at least one operation, one JSON object per line (see docs/history-format.md).`);
    }
    result = checkHistory(parsed.strict ? ops : withAmbiguousAttempts(ops), parsed.options);
  } catch (error) {
    if (error instanceof HistoryFormatError) return usageError(error.message);
    throw error;
  }
  process.stdout.write(parsed.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(parsed.file, result));
  return EXIT[result.verdict];
}

function parseArgs(args: readonly string[]): CheckArgs | string {
  const files: string[] = [];
  const options: CheckOptions = {};
  let json = false;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '--budget' || arg === '--timeout') {
      const raw = args[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n <= 0) {
        return `${arg} needs a positive number${arg === '--timeout' ? ' of milliseconds' : ' of states'}, got ${raw === undefined ? 'nothing' : `"${raw}"`}.`;
      }
      if (arg === '--budget') options.maxStates = Math.floor(n);
      else options.timeoutMs = n;
    } else if (arg.startsWith('-')) return `unknown option "${arg}".`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? 'no history file given.' : `expected one history file, got ${files.length}: ${files.join(', ')}.`;
  return { file: files[0]!, json, strict, options };
}

function usageError(message: string): number {
  process.stderr.write(`faultline check: ${message}\n${message.includes('Fix:') ? '' : `${USAGE}\n`}`);
  return 2;
}

const MARK = { linearizable: '✓', 'not-linearizable': '✗', unknown: '?' } as const;
const LABEL = { linearizable: 'linearizable', 'not-linearizable': 'NOT linearizable', unknown: 'unknown' } as const;

/** The human summary: one line per key (only the interesting ones when there are many), then the evidence. */
export function formatSummary(file: string, result: CheckResult): string {
  const out: string[] = [
    `Checked ${file}: ${result.ops} operations on ${result.keys.length} key${result.keys.length === 1 ? '' : 's'} in ${result.elapsedMs.toFixed(1)} ms`,
    '',
  ];
  const shown = result.keys.length <= KEYS_LISTED ? result.keys : result.keys.filter((k) => k.verdict !== 'linearizable');
  const width = Math.max(...shown.map((k) => JSON.stringify(k.key).length), 0);
  for (const k of shown) out.push(keyLine(k, width));
  if (shown.length < result.keys.length) out.push(`  ✓ ${result.keys.length - shown.length} other keys linearizable`);
  for (const k of result.keys) if (k.failure) out.push('', k.failure.message);
  out.push('');
  if (result.lostWrites.length === 0) out.push('Lost acknowledged writes: none (checked against each key\'s final read).');
  else out.push(`Lost acknowledged writes: ${result.lostWrites.length}`, ...result.lostWrites.map((l) => `  ${l.message.replaceAll('\n', '\n  ')}`));
  out.push('', `Verdict: ${verdictLine(result)}`, '');
  return out.join('\n');
}

function keyLine(k: KeyResult, width: number): string {
  const reason = k.reason ? ` — ${k.reason}` : '';
  return `  ${MARK[k.verdict]} ${JSON.stringify(k.key).padEnd(width)}  ${LABEL[k.verdict].padEnd(16)}  ${k.ops} op${k.ops === 1 ? '' : 's'}${reason}`;
}

function verdictLine(result: CheckResult): string {
  switch (result.verdict) {
    case 'linearizable':
      return 'LINEARIZABLE (exit 0)';
    case 'not-linearizable':
      return 'NOT LINEARIZABLE (exit 1)';
    case 'unknown':
      return 'UNKNOWN: the search budget ran out before a verdict; this is not a pass (exit 2)';
  }
}
