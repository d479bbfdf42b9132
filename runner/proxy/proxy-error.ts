// Every proxy failure is one class, so callers can tell link trouble from their own bugs.
import { FaultlineError } from '../../dsl/errors.ts';

/** A fault proxy was misused or could not do its job; the message states the rule and the fix. */
export class ProxyError extends FaultlineError {
  override name = 'ProxyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
