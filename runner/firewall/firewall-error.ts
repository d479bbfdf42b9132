// Every firewall failure is one class, so a scenario can tell "the firewall refused" from its own bugs.
import { FaultlineError } from '../../dsl/errors.ts';

/** The run's firewall could not be changed or was misused; the message states the rule and the fix. */
export class FirewallError extends FaultlineError {
  override name = 'FirewallError';
  constructor(
    message: string,
    readonly command?: string,
    readonly stderr?: string,
  ) {
    super(message);
  }
}
