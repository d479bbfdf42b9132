// The `faultline check` command line, parsed once: files, output mode, and the checker's budgets.
import { DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_STATES, type CheckOptions } from '../checker/index.ts';

/** The usage text, printed on --help and after a usage error. */
export const USAGE = `Usage: faultline check <history.jsonl>… [--json] [--strict] [--budget <states>] [--memory <MB>] [--timeout <ms>]
  --json             print the machine-readable result instead of the summary (one JSON line per file
                     when given several files)
  --strict           each operation is one write: an unanswered earlier attempt of an acknowledged
                     write may NOT take effect on its own (by default it may, as toBeConsistent() allows)
  --budget <states>  most search states per key before its verdict is "unknown" (default ${DEFAULT_MAX_STATES})
  --memory <MB>      most memory one key's search may hold before its verdict is "unknown" (default ${DEFAULT_MAX_MEMORY_MB})
  --timeout <ms>     wall-clock limit for each file's check; unfinished keys are "unknown"
Several files: one verdict line each; the exit code is the worst of them (an anomaly outranks unknown).
Exit codes: 0 linearizable, 1 not linearizable (or a lost write) — only for an anomaly found,
2 unknown: a budget ran out, the input is missing or malformed, or the checker failed inside.
The file format is described in docs/history-format.md.`;

/** What one invocation asks for. */
export interface CheckArgs {
  files: string[];
  json: boolean;
  strict: boolean;
  options: CheckOptions;
}

const NUMBERED = { '--budget': 'states', '--memory': 'MB', '--timeout': 'milliseconds' } as const;

/** The parsed arguments, or the usage problem as one sentence. */
export function parseCheckArgs(args: readonly string[]): CheckArgs | string {
  const files: string[] = [];
  const options: CheckOptions = {};
  let json = false;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--strict') strict = true;
    else if (arg in NUMBERED) {
      const unit = NUMBERED[arg as keyof typeof NUMBERED];
      const raw = args[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n <= 0) {
        return `${arg} needs a positive number${unit === 'states' ? ' of states' : ` of ${unit}`}, got ${raw === undefined ? 'nothing' : `"${raw}"`}.`;
      }
      if (arg === '--budget') options.maxStates = Math.floor(n);
      else if (arg === '--memory') options.maxMemoryMb = n;
      else options.timeoutMs = n;
    } else if (arg.startsWith('-')) return `unknown option "${arg}".`;
    else files.push(arg);
  }
  if (files.length === 0) return 'no history file given.';
  return { files, json, strict, options };
}
