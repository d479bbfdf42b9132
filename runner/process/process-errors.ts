// Errors of the processes a run starts and waits on; each carries the context needed to act on it without the logs.
import { FaultlineError } from '../../dsl/errors.ts';
import { formatMs } from '../../dsl/duration.ts';

/** A node's process did something the plan did not ask for (exit, refuse a signal). */
export class NodeProcessError extends FaultlineError {
  override name = 'NodeProcessError';
  readonly node: string;
  readonly pid?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly lastLines: string[];
  constructor(message: string, context: { node: string; pid?: number; exitCode?: number; signal?: string; lastLines?: string[] }) {
    const { node, pid, exitCode, signal, lastLines = [] } = context;
    super(`${message}\n  node "${node}", pid ${pid ?? '-'}, exit code ${exitCode ?? '-'}, signal ${signal ?? '-'}${tail(lastLines)}`);
    this.node = node;
    this.pid = pid;
    this.exitCode = exitCode;
    this.signal = signal;
    this.lastLines = lastLines;
  }
}

/** A node or cluster did not reach the awaited state before its deadline. */
export class ReadinessTimeoutError extends FaultlineError {
  override name = 'ReadinessTimeoutError';
  constructor(what: string, timeoutMs: number, lastProbe: string, lastLines: string[] = []) {
    super(`${what} not reached after ${formatMs(timeoutMs)} (last probe: ${lastProbe})${tail(lastLines)}`);
  }
}

/**
 * A process that is not our node answered on our node's port (another run's server, typically after our
 * node failed to bind): its answer is never taken as our node's.
 */
export class ForeignNodeError extends FaultlineError {
  override name = 'ForeignNodeError';
  constructor(
    readonly node: string,
    readonly address: string,
    /** What was expected and what answered, e.g. "cluster 1a2b, member 3c4d" vs "cluster 5e6f, member 7a8b (pid 123: etcd ...)". */
    readonly expected: string,
    readonly got: string,
    readonly lastLines: string[] = [],
  ) {
    super(`"${node}" at ${address} was answered by a foreign process: expected ${expected}, got ${got}. Another process holds this node's port, so nothing it says is evidence about "${node}".${tail(lastLines)}`);
  }

  /** The same error with the node's own last log lines (e.g. its "bind: address already in use"). */
  withLines(lines: string[]): ForeignNodeError {
    return new ForeignNodeError(this.node, this.address, this.expected, this.got, lines);
  }
}

/** A prerequisite of the run is missing (a binary, a permission). */
export class EnvironmentError extends FaultlineError {
  override name = 'EnvironmentError';
}

/**
 * The error (or, along its `cause` chain, the error it wraps) that says the machine failed, not the service:
 * a node that never became ready, a process that would not start, a missing prerequisite. Told by class, never by name.
 */
export function infrastructureCause(error: unknown): NodeProcessError | ReadinessTimeoutError | EnvironmentError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof NodeProcessError || e instanceof ReadinessTimeoutError || e instanceof EnvironmentError) return e;
  }
  return undefined;
}

function tail(lines: string[]): string {
  return lines.length ? `\n  last log lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : '';
}
