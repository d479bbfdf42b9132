// The SSH layer against real sshd in the lab: one master per host, commands as channels over it, the host's
// reaper undoing what was registered when the master is killed, and bad hosts failing with the field to fix.
import { execa } from 'execa';
import { SshMaster } from '../../../runner/hosts/ssh-master.ts';
import { HostReaper } from '../../../runner/hosts/host-reaper.ts';
import { HostsError } from '../../../runner/hosts/hosts-error.ts';
import { alive } from '../watchdog/helpers.ts';
import { eventually } from './lab-probe.ts';
import { expect, labPossible, test } from './lab-fixture.ts';

test.skip(!labPossible, 'needs root and Debian\'s openssh-server (npm run bootstrap installs it)');

test('commands run on the host over one master connection; close() ends it', async ({ lab, targets }, testInfo) => {
  const h = await SshMaster.connect(targets[0]!);
  try {
    const r = await h.run('ip netns identify $$; echo $SSH_CONNECTION');
    expect(r.stdout).toContain(lab.hosts[0]!.netns);
    expect(r.stdout).toContain(lab.names.runnerAddress);
    expect((await h.run('exit 3')).exitCode).toBe(3);
    await expect(h.must('false', 'binary', 'install it')).rejects.toThrow(/Host "h1", field "binary": "false" exited with 1/);
  } finally {
    await h.close();
  }
  expect(alive(h.pid)).toBe(false);
  await expect(h.run('true')).rejects.toBeInstanceOf(HostsError);
});

test('killing the master fires the host reaper: registered processes, chain and dir are gone', async ({ lab, targets }, testInfo) => {
  const target = targets[1]!;
  const netns = lab.hosts[1]!.netns;
  const h = await SshMaster.connect(target);
  try {
    const reaper = await HostReaper.start(h);
    const dir = `${lab.dir}/reaper-test-${testInfo.workerIndex}`;
    const chain = `FL-REAPTEST-${testInfo.workerIndex}`;
    // A node-like process (its own session, pid file), a chain jumped to from INPUT, a dir: all made on the host.
    await h.must(`mkdir -p ${dir} && (setsid sh -c 'echo $$ > ${dir}/n.pid; exec sleep 600' </dev/null >/dev/null 2>&1 &) && iptables -w 5 -N ${chain} && iptables -w 5 -I INPUT 1 -j ${chain} && iptables -w 5 -A ${chain} -s 198.18.0.99 -j DROP`, 'setup', 'see the message');
    await expect.poll(async () => (await h.run(`cat ${dir}/n.pid`)).stdout.trim()).toMatch(/^\d+$/);
    const pid = Number((await h.run(`cat ${dir}/n.pid`)).stdout.trim());
    for (const [kind, value] of [['pidfile', `${dir}/n.pid`], ['chain', chain], ['dir', dir]] as const) await reaper.register(kind, value);
    expect(alive(pid)).toBe(true);
    process.kill(h.pid, 'SIGKILL');
    const chains = async () => (await execa('ip', ['netns', 'exec', netns, 'iptables', '-S'])).stdout;
    const gone = await eventually(async () => !alive(pid) && !(await chains()).includes(chain) && (await execa('test', ['-e', dir], { reject: false })).exitCode !== 0, 10_000);
    expect(gone, `reaper lines: ${reaper.lines.join(' | ')}\n${await chains()}`).toBe(true);
    expect(alive(pid)).toBe(false);
    expect(await chains()).not.toContain(chain);
  } finally {
    await h.close();
  }
});

test('a wrong key and an unreachable host fail with the field to fix, before anything runs', async ({ lab, targets }, testInfo) => {
  const other = testInfo.outputPath('other_key');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
  const wrongKey = SshMaster.connect({ ...targets[0]!, key: other });
  await expect(wrongKey).rejects.toThrow(/Host "h1", field "key": root@198\.1[89]\.\d+\.1:22 refused the key/);
  const nowhere = SshMaster.connect({ ...targets[0]!, name: 'h9', address: `${lab.names.subnet}.9` });
  await expect(nowhere).rejects.toThrow(/Host "h9", field "address"/);
});
