// Per-node system users: created once, found again, and able to write a directory prepared for them.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { ensureNodeUser, firewallCapability, nodeUserName, prepareDirForUser } from '../../../runner/firewall/index.ts';
import { createNodeDataDir, settleNodeDataDir } from '../../../runner/node-data-dir.ts';

const capability = firewallCapability();
test.skip(!capability.usable, capability.reason);

test('ensureNodeUser gives node n the same non-root system user every time', async () => {
  const [a, b] = await Promise.all([ensureNodeUser(1), ensureNodeUser(1)]);
  expect(a).toEqual(b);
  expect(a.name).toBe(nodeUserName(1));
  expect(a.uid).toBeGreaterThan(0);
  expect((await execa('getent', ['passwd', a.name])).stdout).toContain(':/usr/sbin/nologin');
  await expect(ensureNodeUser(0)).rejects.toThrow('ensureNodeUser() takes a node index from 1, got 0: pass node.index.');
});

test('prepareDirForUser lets a process under that uid write its data dir, where the runner puts it', async () => {
  const user = await ensureNodeUser(2);
  // Where cluster.start() puts data dirs of nodes under their own uids: the clone may be in a 0700 dir.
  const base = await createNodeDataDir(test.info().outputPath('node-data'));
  const dir = path.join(base.path, 'node-2.data');
  fs.mkdirSync(path.join(dir, 'member'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'member', 'old'), 'x');
  await prepareDirForUser(dir, user.uid, user.gid);
  expect(fs.statSync(path.join(dir, 'member', 'old')).uid).toBe(user.uid);
  const r = await execa(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'member', 'new'))}, String(process.getuid()))`], { uid: user.uid, gid: user.gid, reject: false });
  expect(r.exitCode).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'member', 'new'), 'utf8')).toBe(String(user.uid));
  await settleNodeDataDir(base, false);
  expect(fs.existsSync(base.path), 'removed after a pass').toBe(false);
});

test('prepareDirForUser names the parent the user cannot enter', async () => {
  const user = await ensureNodeUser(3);
  const closed = test.info().outputPath('closed');
  fs.mkdirSync(closed, { recursive: true, mode: 0o700 });
  fs.chmodSync(closed, 0o700);
  await expect(prepareDirForUser(path.join(closed, 'node-3.data'), user.uid, user.gid)).rejects.toThrow(
    `uid ${user.uid} cannot enter "${closed}" (mode 700), so it cannot reach "${path.join(closed, 'node-3.data')}": put the run's output under a directory others may search, e.g. "chmod o+x ${closed}".`,
  );
});
