// Errors of a run itself (an operation out of budget, a lookup of what the run does not have), beside its processes' errors.
import { FaultlineError } from '../dsl/errors.ts';

/** An operation ended without success after its retry budget. */
export class OperationError extends FaultlineError {
  override name = 'OperationError';
}

/** The run was asked for something it does not have: a cluster not started, an unknown node, an operation not issued. */
export class RunLookupError extends FaultlineError {
  override name = 'RunLookupError';
  readonly context: Readonly<Record<string, unknown>>;
  constructor(message: string, context: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.context = context;
  }
}
