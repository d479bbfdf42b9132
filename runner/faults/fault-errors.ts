// Errors of fault steps, in the one family (FaultlineError) and told apart with instanceof.
import { FaultlineError } from '../../dsl/errors.ts';

/** A heal verb (unblock, heal, restore) found nothing in force that it heals. */
export class NothingToHealError extends FaultlineError {
  override name = 'NothingToHealError';
  readonly verb: string;
  readonly node?: string;
  constructor(message: string, context: { verb: string; node?: string }) {
    super(message);
    this.verb = context.verb;
    this.node = context.node;
  }
}

/** A plan step names a fault the runner does not have (a DSL verb added without its runtime file). */
export class UnknownFaultError extends FaultlineError {
  override name = 'UnknownFaultError';
  readonly fault: string;
  constructor(message: string, context: { name: string }) {
    super(message);
    this.fault = context.name;
  }
}

/** A fault cannot act on the node it was given (e.g. a dependent server that does not run under its own uid). */
export class FaultTargetError extends FaultlineError {
  override name = 'FaultTargetError';
  readonly fault: string;
  readonly node?: string;
  constructor(message: string, context: { fault: string; node?: string }) {
    super(message);
    this.fault = context.fault;
    this.node = context.node;
  }
}
