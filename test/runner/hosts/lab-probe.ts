// What a lab test looks at on its own (not with the lab's code): namespaces, sshd processes, links, ssh itself.
import fs from 'node:fs';
import { execa } from 'execa';

/** Namespaces whose names carry the lab id. */
export async function labNamespaces(id: string): Promise<string[]> {
  const r = await execa('ip', ['netns', 'list'], { reject: false });
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.includes(`fl-${id}-`));
}

/**
 * Pids of sshd processes whose command line names `dir` (a lab's own sshd run with its config there).
 * Why by dir: other runs' labs (a test beside this one in CI) start sshd processes of their own meanwhile.
 */
export async function sshdPids(dir: string): Promise<number[]> {
  const r = await execa('pgrep', ['-f', `sshd.*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`], { reject: false });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** True when the interface exists in this namespace. */
export async function linkExists(name: string): Promise<boolean> {
  return (await execa('ip', ['link', 'show', name], { reject: false })).exitCode === 0;
}

/** The seed-style ssh call, as a user would type it: exit code and output. */
export async function sshAs(key: string, address: string, command: string, extra: string[] = []): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa('ssh', ['-i', key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', ...extra, `root@${address}`, command], { reject: false, stdin: 'ignore', timeout: 20_000 });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** True while the path exists. */
export const exists = (p: string): boolean => fs.existsSync(p);
