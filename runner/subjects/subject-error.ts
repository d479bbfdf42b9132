// A client under test did something its protocol or configuration rules out; names the service, the
// client, what broke (a field, a line) and the fix, with the client's last words.
import { FaultlineError } from '../../dsl/errors.ts';

/** Raised at the step that used the client: a driver that exits, lies about ids, or goes silent. */
export class ClientUnderTestError extends FaultlineError {
  override name = 'ClientUnderTestError';
  constructor(
    readonly service: string,
    readonly client: string,
    readonly rule: string,
    readonly fix: string,
    readonly lastWords: string[] = [],
  ) {
    super(`The "${client}" client of ${service}: ${rule}\n  Fix: ${fix}${lastWords.length ? `\n  its last words:\n${lastWords.map((l) => `    ${l}`).join('\n')}` : ''}`);
  }
}
