// A remote node's data dir as evidence: streamed back with tar over the host's master when the test failed,
// then removed from the host either way — as a local node's temp data dir is moved or removed.
import fs from 'node:fs';
import { execa } from 'execa';
import type { HostSession } from './host-session.ts';
import { shellQuote } from './ssh-target.ts';

/** Copies `remote` on `host` into `local` (keep) and removes it from the host. */
export async function settleRemoteDataDir(host: HostSession, remote: string, local: string, keep: boolean): Promise<void> {
  if (keep) {
    fs.mkdirSync(local, { recursive: true });
    await host.master.open(`test -d ${shellQuote(remote)} && tar -C ${shellQuote(remote)} -cf - .`).pipe(execa('tar', ['-xf', '-', '-C', local], { reject: false }));
  }
  await host.tryExec(`rm -rf ${shellQuote(remote)}`);
}
