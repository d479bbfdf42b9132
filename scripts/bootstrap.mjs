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
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...pkgs]]) {
      const r = spawnSync('apt-get', args, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
      if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed:\n${(r.stdout + r.stderr).split('\n').slice(-20).join('\n')}`);
    }
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
