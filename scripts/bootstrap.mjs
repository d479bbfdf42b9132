#!/usr/bin/env node
// First step of `npm start` / `npm test` / .ci/run on a fresh machine (Node built-ins only):
// npm dependencies, then the system packages Faultline drives (etcd, etcdctl, iptables, chromium).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stderr.write(`[bootstrap] ${m}\n`);

/** Each system tool: the command, the variable that may point at it, the Debian package. */
const TOOLS = [
  { cmd: 'etcd', env: 'ETCD_BIN', pkg: 'etcd-server', required: true },
  { cmd: 'etcdctl', env: 'ETCDCTL_BIN', pkg: 'etcd-client', required: true },
  { cmd: 'iptables', env: 'IPTABLES_BIN', pkg: 'iptables', required: false },
  { cmd: 'chromium', env: 'CHROMIUM_BIN', pkg: 'chromium', required: false },
  // The hosts lab (scripts/hosts-lab.mjs) runs Debian's sshd inside the run's namespaces only; ssh drives them.
  { cmd: 'sshd', env: 'SSHD_BIN', pkg: 'openssh-server', required: false, daemon: true },
  { cmd: 'ssh', env: 'SSH_BIN', pkg: 'openssh-client', required: false },
];

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && isExec(path.join(d, cmd))) || ['/usr/sbin', '/sbin'].some((d) => isExec(path.join(d, cmd)));
}

function isExec(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function npmDeps() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.faultline-lock');
  const want = fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : '';
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return;
  say('installing npm dependencies (npm ci)');
  const r = spawnSync('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('npm dependencies could not be installed (see npm output above).');
  fs.writeFileSync(stamp, want);
}

function systemTools() {
  const missing = TOOLS.filter((t) => !(process.env[t.env] && isExec(process.env[t.env])) && !onPath(t.cmd));
  if (!missing.length) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = onPath('apt-get') && fs.existsSync('/etc/debian_version');
  if (isRoot && hasApt) {
    const pkgs = missing.map((t) => t.pkg);
    say(`installing Debian packages: ${pkgs.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const daemons = missing.filter((t) => t.daemon);
    const before = daemons.length ? rootNetnsPids('sshd') : [];
    const restore = daemons.length ? forbidServiceStarts() : () => undefined;
    let failed;
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...pkgs]]) {
      const r = spawnSync('apt-get', args, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
      if (r.status !== 0) {
        failed = `apt-get ${args.join(' ')} failed:\n${(r.stdout + r.stderr).split('\n').slice(-20).join('\n')}`;
        break;
      }
    }
    // fail() exits: the previous policy goes back first.
    restore();
    if (failed) fail(failed);
    if (daemons.length) noDistributionSshd(before);
    say('Debian packages installed');
    return;
  }
  const required = missing.filter((t) => t.required);
  for (const t of missing.filter((t) => !t.required)) say(`optional: ${t.cmd} not found; tests that need it are skipped (install Debian package "${t.pkg}" or set ${t.env}).`);
  if (required.length) {
    fail(
      `missing ${required.map((t) => t.cmd).join(', ')}.\n` +
        `  Faultline runs real etcd 3.4. Install it with: sudo apt-get install ${required.map((t) => t.pkg).join(' ')}\n` +
        `  or point ${required.map((t) => t.env).join(' / ')} at the binaries.`,
    );
  }
}

const POLICY_RC = '/usr/sbin/policy-rc.d';

/**
 * Makes invoke-rc.d refuse every service start (policy-rc.d exit 101) while apt installs openssh-server, so the
 * distribution's own sshd never listens on this machine; returns what puts the previous policy back.
 */
function forbidServiceStarts() {
  const previous = fs.existsSync(POLICY_RC) ? fs.readFileSync(POLICY_RC) : undefined;
  if (previous && /^\s*exit 101\s*$/m.test(previous.toString())) return () => undefined;
  fs.writeFileSync(POLICY_RC, '#!/bin/sh\n# Written by faultline bootstrap while apt runs: no service starts.\nexit 101\n', { mode: 0o755 });
  return () => (previous ? fs.writeFileSync(POLICY_RC, previous, { mode: 0o755 }) : fs.rmSync(POLICY_RC, { force: true }));
}

/** Pids of `name` processes in this machine's own network namespace (the lab's sshd run in their own). */
function rootNetnsPids(name) {
  let own;
  try {
    own = fs.readlinkSync('/proc/1/ns/net');
  } catch {
    return [];
  }
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name && fs.readlinkSync(`/proc/${pid}/ns/net`) === own;
    } catch {
      return false;
    }
  }).map(Number);
}

/**
 * After installing openssh-server: an sshd the install started despite the policy is stopped (by its pid, only
 * one that was not running before), and sshd's privilege-separation dir /run/sshd exists for the lab's sshd.
 */
function noDistributionSshd(before) {
  for (const pid of rootNetnsPids('sshd').filter((p) => !before.includes(p))) {
    say(`stopping the distribution's sshd (pid ${pid}) that the install started: only the hosts lab's sshd may run, inside its namespaces`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const left = rootNetnsPids('sshd').filter((p) => !before.includes(p));
  if (left.length) fail(`sshd is still running in this machine's own network namespace (pids ${left.join(', ')}); stop it (systemctl disable --now ssh).`);
}

function fail(message) {
  say(`error: ${message}`);
  process.exit(1);
}

/** `faultline check` compiled ahead of time (scripts/build-cli.mjs, needs esbuild from npm ci): it then starts without tsx. */
function buildCli() {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) say('warning: the check command was not compiled; `faultline check` will run through tsx (slower start).');
}

npmDeps();
buildCli();
systemTools();
