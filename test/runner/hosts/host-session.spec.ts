// A host is checked before any node starts there: its binary, its iptables, its ports — each failure names the
// host and the field; faults then go through the host's open shell and its own iptables chain.
import { execa } from 'execa';
import { HostSession } from '../../../runner/hosts/host-session.ts';
import { HostsError } from '../../../runner/hosts/hosts-error.ts';
import { expect, labPossible, test } from './lab-fixture.ts';

test.skip(!labPossible, 'needs root and Debian\'s openssh-server (npm run bootstrap installs it)');

test('preflight names the field: a missing binary, a port already taken on the host', async ({ lab, targets }) => {
  const host = lab.hosts[2]!;
  const session = await HostSession.open({ ...targets[2]!, run: { kind: 'process', pidFile: '{dataDir}.pid' }, dataDir: '/tmp/x/{node}', peerAddress: host.address }, { runId: 'test' });
  // Something else listens on the host's address, port 23999 (a process in the host's namespace, not ours).
  const squatter = execa('ip', ['netns', 'exec', host.netns, process.execPath, '-e', `require('net').createServer().listen(23999, '${host.address}', () => console.log('up'))`], { reject: false, buffer: false });
  try {
    await new Promise<void>((resolve) => squatter.stdout!.once('data', () => resolve()));
    await expect(session.preflight('/usr/bin/etcd', [23998])).resolves.toBeUndefined();
    const taken = await session.preflight('/usr/bin/etcd', [23998, 23999]).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(HostsError);
    expect((taken as HostsError).message).toMatch(/^Host "h3", field "port": port 23999 already taken on 198\.1[89]\.\d+\.3/);
    await expect(session.preflight('/usr/bin/no-such-etcd', [23998])).rejects.toThrow(/Host "h3", field "binary": "\/usr\/bin\/no-such-etcd" is not an executable file/);
    // The seed's rules go into the run's own chain on the host, and come out exactly.
    const rules = await session.addRules('block node-3', [['-p', 'tcp', '--dport', '23999', '-j', 'DROP']]);
    expect(rules).toEqual(['iptables -A FL-test -p tcp --dport 23999 -j DROP']);
    const listing = async () => (await execa('ip', ['netns', 'exec', host.netns, 'iptables', '-S'])).stdout;
    expect(await listing()).toContain('-A INPUT -j FL-test');
    await session.removeRules('block node-3');
    expect(await listing()).not.toContain('--dport 23999');
  } finally {
    squatter.kill('SIGKILL');
    await session.close();
  }
  // Closing the session ended its reaper, which removed the chain.
  expect((await execa('ip', ['netns', 'exec', host.netns, 'iptables', '-S'])).stdout).not.toContain('FL-test');
});
