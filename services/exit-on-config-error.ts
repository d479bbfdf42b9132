// A configuration mistake is the user's to fix, not a crash: show its rule and fix alone, without a
// Node stack and the error's fields under it, and stop before anything starts.
import { FaultlineError } from '../dsl/errors.ts';

/** Runs `load`; on a FaultlineError prints its message (rule and fix) to stderr and exits 1. Other errors are bugs: they keep their stack. */
export function exitOnConfigError<T>(load: () => T, exit: (code: number) => never = (code) => process.exit(code)): T {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof FaultlineError)) throw e;
    process.stderr.write(`${e.name}: ${e.message}\n`);
    return exit(1);
  }
}
