// A host lab per test file, for tests that need hosts but do not test the lab itself.
import { test as base } from '@playwright/test';
import fs from 'node:fs';
import { HostLab } from '../../../runner/hosts/host-lab.ts';
import type { SshTarget } from '../../../runner/hosts/ssh-target.ts';

/** True where a lab can be made: root, and Debian's sshd installed. */
export const labPossible = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd');

/** A worker-scoped lab of 3 hosts, and each host as an ssh target. */
export const test = base.extend<{}, { lab: HostLab; targets: SshTarget[] }>({
  lab: [
    async ({}, use) => {
      const lab = await HostLab.create({ hosts: 3 });
      try {
        await use(lab);
      } finally {
        await lab.close();
      }
    },
    { scope: 'worker' },
  ],
  targets: [async ({ lab }, use) => use(lab.hosts.map((h) => ({ name: h.name, address: h.address, port: h.port, user: 'root', key: lab.key, knownHosts: lab.knownHosts }))), { scope: 'worker' }],
});
export { expect } from '@playwright/test';
