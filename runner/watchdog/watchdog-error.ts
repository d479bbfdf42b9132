// One class for watchdog trouble, so callers can tell a refused registration or a dead reaper from bugs.
import { FaultlineError } from '../../dsl/errors.ts';

/** The watchdog was misused or could not do its job; the message states the rule and the fix. */
export class WatchdogError extends FaultlineError {
  override name = 'WatchdogError';
}
