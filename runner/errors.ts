// Errors of a running scenario; each carries the context needed to act on it without the logs.
import { FaultlineError } from '../dsl/errors.ts';
import { formatMs } from '../dsl/duration.ts';

/** A node's process did something the plan did not ask for (exit, refuse a signal). */
export class NodeProcessError extends FaultlineError {
  override name = 'NodeProcessError';
  constructor(
    message: string,
    readonly node: string,
    readonly pid: number | undefined,
    readonly exitCode: number | undefined,
    readonly signal: string | undefined,
    readonly lastLines: string[],
  ) {
    super(`${message}\n  node "${node}", pid ${pid ?? '-'}, exit code ${exitCode ?? '-'}, signal ${signal ?? '-'}${tail(lastLines)}`);
  }
}

/** A node or cluster did not reach the awaited state before its deadline. */
export class ReadinessTimeoutError extends FaultlineError {
  override name = 'ReadinessTimeoutError';
  constructor(what: string, timeoutMs: number, lastProbe: string, lastLines: string[] = []) {
    super(`${what} not reached after ${formatMs(timeoutMs)} (last probe: ${lastProbe})${tail(lastLines)}`);
  }
}

/** An operation ended without success after its retry budget. */
export class OperationError extends FaultlineError {
  override name = 'OperationError';
}

/** A prerequisite of the run is missing (a binary, a permission). */
export class EnvironmentError extends FaultlineError {
  override name = 'EnvironmentError';
}

function tail(lines: string[]): string {
  return lines.length ? `\n  last log lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : '';
}
