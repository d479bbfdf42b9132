// faultline.hosts.json is checked field by field before any host is contacted: each error names the host, the field and the fix.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { loadHostsFile, parseHosts } from '../../../runner/hosts/hosts-file.ts';
import { HostsError } from '../../../runner/hosts/hosts-error.ts';

function hostsWith(dir: string, host: Record<string, unknown>): unknown {
  fs.writeFileSync(`${dir}/key`, 'not a real key, only checked to exist\n');
  return { hosts: { h1: { address: '198.18.0.1', key: 'key', ...host } } };
}

test('a minimal host gets every default: port 22, root, a plain process with a pid file, a data dir per node', async ({}, testInfo) => {
  const dir = testInfo.outputPath();
  fs.mkdirSync(dir, { recursive: true });
  const c = parseHosts(hostsWith(dir, {}), 'test.json', dir);
  expect(c.hosts).toEqual([{ name: 'h1', address: '198.18.0.1', port: 22, user: 'root', key: `${dir}/key`, run: { kind: 'process', pidFile: '{dataDir}.pid' }, dataDir: '/var/tmp/faultline/{run}/{node}', peerAddress: '198.18.0.1' }]);
  const unit = parseHosts(hostsWith(dir, { run: { systemd: { unit: 'etcd@{node}.service' } }, binary: '/usr/bin/etcd' }), 'test.json', dir);
  expect(unit.hosts[0]!.run).toEqual({ kind: 'systemd', unit: 'etcd@{node}.service' });
});

const bad: [string, Record<string, unknown>, RegExp][] = [
  ['an unknown field, with a suggestion', { adress: '1.2.3.4' }, /Host "h1", field "adress": "adress" is not a field of a host .*\n  Fix: did you mean "address"\?/],
  ['a missing key file', { key: 'nope' }, /Host "h1", field "key": the private key ".*nope" does not exist/],
  ['a port out of range', { port: 70000 }, /Host "h1", field "port": "port" must be an integer from 1 to 65535, got 70000/],
  ['a relative binary', { binary: 'etcd' }, /field "binary": "binary" must be an absolute path on the host/],
  ['a data dir without {node}', { dataDir: '/var/lib/etcd' }, /field "dataDir": "dataDir" must contain \{node\}/],
  ['an unknown template', { dataDir: '/x/{host}/{node}' }, /field "dataDir": .*using only \{node\} and \{run\}/],
  ['an unknown way to run', { run: { sytemd: { unit: 'x.service' } } }, /field "run.sytemd": .*\n  Fix: did you mean "systemd"\?/],
  ['a unit that is not a service', { run: { systemd: { unit: 'etcd.socket' } } }, /field "run.systemd.unit": "unit" must name a .service unit/],
  ['a bad address', { address: 'a b' }, /field "address": "a b" is not an IPv4 address or host name/],
];
for (const [what, host, message] of bad) {
  test(`rejected before any host is contacted: ${what}`, async ({}, testInfo) => {
    const dir = testInfo.outputPath();
    fs.mkdirSync(dir, { recursive: true });
    let error: unknown;
    try {
      parseHosts(hostsWith(dir, host), 'test.json', dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostsError);
    expect((error as HostsError).message).toMatch(message);
    expect((error as HostsError).host).toBe('h1');
  });
}

test('the file itself: unreadable, not JSON, or fields beside "hosts"', async ({}, testInfo) => {
  const dir = testInfo.outputPath();
  fs.mkdirSync(dir, { recursive: true });
  expect(() => loadHostsFile(`${dir}/missing.json`)).toThrow(/cannot be read/);
  fs.writeFileSync(`${dir}/bad.json`, '{ "hosts": ');
  expect(() => loadHostsFile(`${dir}/bad.json`)).toThrow(/is not valid JSON/);
  fs.writeFileSync(`${dir}/extra.json`, JSON.stringify({ host: {} }));
  expect(() => loadHostsFile(`${dir}/extra.json`)).toThrow(/field "host": "host" is not a field of a hosts file/);
});
