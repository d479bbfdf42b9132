// The host lab is real: three namespaces with their own sshd, reachable with the run's key only, talking TCP to
// each other; teardown and a SIGKILLed owner (through its watchdog) leave no namespace, sshd, veth or file.
import fs from 'node:fs';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { HostLab } from '../../../runner/hosts/host-lab.ts';
import { loadHostsFile } from '../../../runner/hosts/hosts-file.ts';
import { alive } from '../watchdog/helpers.ts';
import { eventually, exists, labNamespaces, linkExists, sshAs, sshdPids } from './lab-probe.ts';

const isRoot = process.getuid?.() === 0;
const OWNER = fileURLToPath(new URL('./fixtures/lab-owner.ts', import.meta.url));

test.skip(!isRoot || !fs.existsSync('/usr/sbin/sshd'), 'needs root and Debian\'s openssh-server (npm run bootstrap installs it)');

test('three hosts: ssh with the run\'s key into each, TCP across namespaces, then teardown leaves nothing', async ({}, testInfo) => {
  const lab = await HostLab.create({ hosts: 3 });
  let closed = false;
  try {
    expect(lab.hosts.map((h) => h.address)).toEqual([1, 2, 3].map((i) => `${lab.names.subnet}.${i}`));
    expect(lab.names.subnet).toMatch(/^198\.1[89]\.\d+$/);
    expect(await labNamespaces(lab.names.id)).toEqual(expect.arrayContaining([`fl-${lab.names.id}-br`, ...[1, 2, 3].map((i) => `fl-${lab.names.id}-h${i}`)]));
    for (const h of lab.hosts) {
      // The brief's literal command, and each host answers from its own namespace on its own address.
      expect((await sshAs(lab.key, h.address, 'true')).exitCode).toBe(0);
      const who = await sshAs(lab.key, h.address, 'ip netns identify $$; ip -4 -o addr show dev eth0');
      expect(who.stdout).toContain(h.netns);
      expect(who.stdout).toContain(`${h.address}/24`);
    }
    // The lab describes itself as a hosts file that loads like a user's.
    const file = loadHostsFile(lab.writeHostsFile());
    expect(file.hosts.map((h) => [h.name, h.address, h.knownHosts])).toEqual(lab.hosts.map((h) => [h.name, h.address, lab.knownHosts]));
    // Strict host checking works with the lab's known_hosts (no trust on first use needed).
    const strict = await execa('ssh', ['-i', lab.key, '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${lab.knownHosts}`, '-o', 'BatchMode=yes', `root@${lab.hosts[0]!.address}`, 'true'], { reject: false, stdin: 'ignore' });
    expect(strict.exitCode, strict.stderr).toBe(0);
    // Any other key is refused.
    const other = testInfo.outputPath('other_key');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const refused = await sshAs(other, lab.hosts[0]!.address, 'true');
    expect(refused.exitCode).toBe(255);
    expect(refused.stderr).toMatch(/Permission denied \(publickey\)/);
    // h1 reaches h2's sshd over TCP, across namespaces (bash's /dev/tcp reads its banner).
    const cross = await sshAs(lab.key, lab.hosts[0]!.address, `timeout 3 bash -c 'exec 3<>/dev/tcp/${lab.hosts[1]!.address}/22; head -c 8 <&3'`);
    expect(cross.stdout).toBe('SSH-2.0-');
    // No sshd listens in the runner's own namespace: only inside the lab, on the lab's addresses.
    const local = await execa('bash', ['-c', 'timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/22"'], { reject: false });
    expect(local.exitCode).not.toBe(0);
    const mine = fs.readlinkSync('/proc/self/ns/net');
    for (const h of lab.hosts) expect(fs.readlinkSync(`/proc/${h.sshdPid}/ns/net`)).not.toBe(mine);
    expect((await sshdPids(lab.dir)).length, 'the lab\'s own sshd are found by their config dir').toBeGreaterThanOrEqual(3);
    await lab.close();
    closed = true;
    expect(await labNamespaces(lab.names.id)).toEqual([]);
    expect(await sshdPids(lab.dir)).toEqual([]);
    for (const h of lab.hosts) expect(alive(h.sshdPid), `sshd of ${h.name} (pid ${h.sshdPid})`).toBe(false);
    expect(await linkExists(lab.names.runnerVeth)).toBe(false);
    expect(exists(lab.dir)).toBe(false);
  } finally {
    if (!closed) await lab.close();
  }
});

test('SIGKILL of the process that made the lab: its watchdog removes namespaces, sshd, the veth and the dir', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('watchdog.log');
  const sub = execa(process.execPath, ['--import', 'tsx', OWNER, JSON.stringify({ hosts: 3, logFile })], { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore' });
  const lines: string[] = [];
  for (const s of [sub.stdout!, sub.stderr!]) readline.createInterface({ input: s }).on('line', (l) => lines.push(l));
  const ready = await eventually(async () => lines.some((l) => l.startsWith('READY ')) || sub.exitCode !== null, 30_000);
  const line = lines.find((l) => l.startsWith('READY '));
  if (!ready || !line) {
    process.kill(-sub.pid!, 'SIGKILL');
    throw new Error(`the lab owner did not get ready:\n${lines.join('\n')}`);
  }
  const info = JSON.parse(line.slice(6)) as { id: string; dir: string; veth: string; key: string; hosts: { address: string; sshdPid: number }[] };
  // A session on a host (a process the lab's code never saw) must go too.
  const session = await sshAs(info.key, info.hosts[0]!.address, 'setsid sleep 600 >/dev/null 2>&1 < /dev/null & echo $!');
  const sleeper = Number(session.stdout.trim());
  expect(sleeper).toBeGreaterThan(1);
  expect(await labNamespaces(info.id)).toHaveLength(4);
  process.kill(sub.pid!, 'SIGKILL');
  const clean = await eventually(async () => (await labNamespaces(info.id)).length === 0 && !(await linkExists(info.veth)) && !exists(info.dir), 15_000);
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no watchdog log)';
  expect(clean, log).toBe(true);
  for (const pid of [...info.hosts.map((h) => h.sshdPid), sleeper]) expect(alive(pid), `pid ${pid}\n${log}`).toBe(false);
  expect(log).toMatch(/killed \(pids/);
  await testInfo.attach('watchdog.log', { body: log, contentType: 'text/plain' });
});
