// A watch client under test could not be started or stopped; carries the client's own last words.
import { FaultlineError } from '../../dsl/errors.ts';

/** Raised when a watch client cannot do what the test asked (start, confirm, stop). */
export class WatchClientError extends FaultlineError {
  override name = 'WatchClientError';
  constructor(
    readonly client: string,
    rule: string,
    fix: string,
    readonly lastWords: string[] = [],
  ) {
    super(`${rule}\n  Fix: ${fix}${lastWords.length ? `\n  last words of "${client}":\n${lastWords.map((l) => `    ${l}`).join('\n')}` : ''}`);
  }
}
