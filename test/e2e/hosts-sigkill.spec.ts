// SIGKILL of the runner mid-S3 on SSH namespace hosts (node-1 isolated by the seed's -s rule on each host) leaves
// no namespace, rule, sshd or etcd: the worker's watchdog ends the SSH masters (each host's reaper fires) and
// kills everything in the lab's namespaces before deleting them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { PORT_BASES } from './port-bases.ts';

const CLI = path.resolve('node_modules/@playwright/test/cli.js');
const labPossible = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd');
test.skip(!labPossible, 'needs root and Debian\'s openssh-server (npm run bootstrap installs it)');

const namespaces = async () => (await execa('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => /^fl-\w+-(br|h\d+)$/.test(n));
const labDirs = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('faultline-lab-'));
const processesOf = async (labDir: string) => (await execa('pgrep', ['-a', '-f', labDir], { reject: false })).stdout.split('\n').filter(Boolean);
/** The parent pid of `pid`, or 0 when it is gone. */
function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}
const rulesIn = async (ns: string) => (await execa('ip', ['netns', 'exec', ns, 'iptables', '-S'], { reject: false })).stdout;

test('SIGKILL of the worker and the runner mid-S3 on hosts: no namespace, rule, sshd or etcd remains', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const out = testInfo.outputPath('child');
  fs.mkdirSync(out, { recursive: true });
  const dirsBefore = new Set(labDirs());
  const runner = execa('node', [CLI, 'test', '-c', 'test/fixtures/scenarios.config.ts', '--project=etcd-hosts', 'specs/s3-network-partition.spec.ts:10', '--workers=1', '--reporter=line'], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: path.resolve(out), FAULTLINE_PORT_BASE: String(PORT_BASES.hostsSigkill), FAULTLINE_SPECS: 'specs', FAULTLINE_HOSTS: 'lab:3' },
  });
  let labDir = '';
  try {
    // The lab of this child's worker (a child of its runner): other runs may make labs meanwhile.
    const ours = () => labDirs().filter((d) => !dirsBefore.has(d)).find((d) => parentOf(Number(/^faultline-lab-(\d+)-/.exec(d)?.[1])) === runner.pid);
    await expect.poll(() => ours() !== undefined, { timeout: 120_000, message: 'the lab is made' }).toBe(true);
    labDir = path.join(os.tmpdir(), ours()!);
    const worker = Number(/^faultline-lab-(\d+)-/.exec(path.basename(labDir))![1]);
    const id = /^faultline-lab-\d+-(\w+)-/.exec(path.basename(labDir))![1]!;
    const h1 = `fl-${id}-h1`;
    // Mid-S3: node-1 isolated — its host drops both peers' addresses in the run's chain.
    await expect.poll(async () => (await rulesIn(h1)).split('\n').filter((l) => / -s 198\.1[89]\.\d+\.\d+\/32 -j DROP/.test(l)).length, { timeout: 120_000, message: 'node-1 is isolated on h1' }).toBe(2);
    const procs = await processesOf(labDir);
    expect(procs.filter((l) => /sshd -D|sshd: /.test(l)).length, procs.join('\n')).toBeGreaterThanOrEqual(3);
    expect(procs.filter((l) => /etcd --name=node-/.test(l)).length, procs.join('\n')).toBeGreaterThanOrEqual(2);
    process.kill(worker, 'SIGKILL');
    runner.kill('SIGKILL');
    const t0 = Date.now();
    await expect.poll(() => processesOf(labDir), { timeout: 20_000, message: 'no sshd, etcd or session of the lab' }).toEqual([]);
    await expect.poll(async () => (await namespaces()).filter((n) => n.startsWith(`fl-${id}-`)), { timeout: 20_000, message: 'no namespace of the lab' }).toEqual([]);
    await expect.poll(() => fs.existsSync(labDir), { timeout: 20_000, message: 'the lab dir is gone' }).toBe(false);
    // Rules lived only inside the lab's namespaces (gone); none was added to the runner's own namespace.
    expect((await execa('iptables', ['-S'])).stdout).not.toMatch(/FL-\d+-/);
    console.log(`SIGKILL mid-S3 on hosts → namespaces, sshd, etcd and the lab dir gone after ${Date.now() - t0} ms`);
  } finally {
    runner.kill('SIGKILL');
    await runner;
  }
});
