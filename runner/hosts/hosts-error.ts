// Every hosts problem names the host, the field and the fix, like the services file's errors.
import { FaultlineError } from '../../dsl/errors.ts';

/** A host that cannot be used as configured or as found: which host, which field, the rule, the fix. */
export class HostsError extends FaultlineError {
  override name = 'HostsError';
  constructor(
    readonly host: string,
    readonly field: string,
    readonly rule: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`Host "${host}", field "${field}": ${rule}\n  Fix: ${fix}`, options);
  }
}
