// A server's log lines on the run's clock, timed by the server's own timestamps, from its log file.
// Why: the file keeps every line (the in-memory tail does not), and a line's own time is when it happened.
import fs from 'node:fs';
import type { Clock } from './time/clock.ts';
import { FaultlineError } from '../dsl/errors.ts';
import type { ServiceLogs } from './contract/service.ts';

/** A log definition that cannot be used: a pattern that does not compile, a timestamp that matches nothing. */
export class LogDefinitionError extends FaultlineError {
  override name = 'LogDefinitionError';
  constructor(readonly service: string, message: string) {
    super(message);
  }
}

/** One matching line: its own time on the run's clock, its named groups, the text. */
export interface TimedLine {
  t: number;
  groups: Record<string, string>;
  line: string;
}

/** Compiles one of a definition's patterns, naming the field and the fix when it does not compile. */
export function compileLogPattern(service: string, field: string, pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new LogDefinitionError(service, `The ${service} definition's logs.${field} pattern ${JSON.stringify(pattern)} does not compile: ${(e as Error).message}.\n  Fix: write a JavaScript regular expression (escape "(", "[" and "\\\\" meant literally), e.g. "became leader at term (?<term>\\\\d+)".`);
  }
}

/** Compiles every pattern of a definition's `logs` before any process starts; the first that does not compile is the error. */
export function checkLogPatterns(service: string, logs: ServiceLogs | undefined): void {
  if (!logs) return;
  compileLogPattern(service, 'timestamp.pattern', logs.timestamp.pattern);
  for (const field of ['retry', 'leader', 'follower'] as const) {
    const pattern = logs[field];
    if (pattern !== undefined) compileLogPattern(service, field, pattern);
  }
}

/** Reads a line's own time as wall-clock milliseconds, or undefined when it has none. */
export function lineWallTime(logs: ServiceLogs, re: RegExp, line: string): number | undefined {
  const raw = re.exec(line)?.[1];
  if (raw === undefined) return undefined;
  const ms = logs.timestamp.format === 'iso8601' ? Date.parse(raw) : Number(raw) * (logs.timestamp.format === 'unix-seconds' ? 1000 : 1);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Every line of `file` matching `pattern`, timed on the run's clock by its own timestamp. A file with
 * lines but none whose timestamp the definition can read is an error, not silence.
 */
export function timedLines(service: string, logs: ServiceLogs, field: string, pattern: string, file: string, clock: Clock): TimedLine[] {
  const match = compileLogPattern(service, field, pattern);
  const stamp = compileLogPattern(service, 'timestamp.pattern', logs.timestamp.pattern);
  const origin = Date.parse(clock.originWallTime);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: TimedLine[] = [];
  let stamped = 0;
  for (const line of lines) {
    const wall = lineWallTime(logs, stamp, line);
    if (wall !== undefined) stamped++;
    const m = match.exec(line);
    if (m && wall !== undefined) out.push({ t: wall - origin, groups: { ...(m.groups ?? {}) }, line });
  }
  if (lines.length > 0 && stamped === 0) {
    throw new LogDefinitionError(service, `The ${service} definition's logs.timestamp pattern ${JSON.stringify(logs.timestamp.pattern)} (${logs.timestamp.format}) matched none of the ${lines.length} lines of ${file}, e.g. ${JSON.stringify(lines[0]!.slice(0, 160))}.\n  Fix: make its first group capture the time each line starts with, e.g. "\\"ts\\":\\"([^\\"]+)\\"" with format "iso8601" for JSON logs.`);
  }
  return out;
}
