// Records handed to the API (not read from a file) can break the rules too; the error names the operation.
import { FaultlineError } from '../dsl/errors.ts';

/** An in-memory history the checker cannot judge: states the rule, the fix and the operation's id. */
export class HistoryInputError extends FaultlineError {
  override name = 'HistoryInputError';
  constructor(
    readonly rule: string,
    readonly fix: string,
    readonly opId: number,
  ) {
    super(`${rule}\n  Fix: ${fix}`);
  }
}
