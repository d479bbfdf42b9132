// Measures how a gate in front of one etcd member can tell which member dialled (docs/peer-links.md):
// by the uid owning the dialling socket (/proc/net/tcp), or by the source address of its own loopback IP.
// Run as root inside a private network namespace: `isolated node scripts/measure-peer-dialers.mjs uid|addr`.
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';

const mode = process.argv[2] === 'addr' ? 'addr' : 'uid';
const N = 3;
const t0 = performance.now();
const now = () => +(performance.now() - t0).toFixed(1);
const users = [1, 2, 3].map((i) => {
  const [, , uid, gid] = execFileSync('getent', ['passwd', `faultline-n${i}`]).toString().trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
});
const host = (i) => (mode === 'addr' ? `127.0.0.${10 + i}` : '127.0.0.1');
const real = (i) => 23000 + i;
const gate = (i) => 24000 + i;
const client = (i) => 22000 + i;

/** The uid owning the socket at localPort whose peer is remotePort, and how long the lookup took. */
function uidOf(localPort, remotePort) {
  const start = process.hrtime.bigint();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(1)) {
      const p = line.trim().split(/\s+/);
      if (p.length < 8) continue;
      if (parseInt(p[1].split(':')[1], 16) === localPort && parseInt(p[2].split(':')[1], 16) === remotePort) {
        return { uid: Number(p[7]), us: Number(process.hrtime.bigint() - start) / 1000 };
      }
    }
  }
  return { uid: -1, us: Number(process.hrtime.bigint() - start) / 1000 };
}

if (mode === 'addr') for (let i = 1; i <= N; i++) execFileSync('ip', ['addr', 'add', `${host(i)}/8`, 'dev', 'lo']);
const conns = [];
const servers = [];
for (let j = 1; j <= N; j++) {
  const server = net.createServer((s) => {
    const r = uidOf(s.remotePort, gate(j));
    conns.push({ t: now(), to: j, from: users.findIndex((u) => u.uid === r.uid) + 1, src: s.remoteAddress, lookupUs: Math.round(r.us) });
    const u = net.connect(real(j), host(j));
    s.pipe(u).pipe(s);
    s.on('error', () => u.destroy());
    u.on('error', () => s.destroy());
  });
  server.listen(gate(j), host(j));
  servers.push(server);
}
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-measure-'));
fs.chmodSync(base, 0o755);
const procs = [];
for (let i = 1; i <= N; i++) {
  const dir = path.join(base, `n${i}`);
  fs.mkdirSync(dir);
  fs.chownSync(dir, users[i - 1].uid, users[i - 1].gid);
  const args = [
    `--name=n${i}`, `--data-dir=${dir}/data`,
    `--listen-client-urls=http://${host(i)}:${client(i)}`, `--advertise-client-urls=http://${host(i)}:${client(i)}`,
    `--listen-peer-urls=http://${host(i)}:${real(i)}`, `--initial-advertise-peer-urls=http://${host(i)}:${gate(i)}`,
    `--initial-cluster=${[1, 2, 3].map((k) => `n${k}=http://${host(k)}:${gate(k)}`).join(',')}`,
    '--initial-cluster-token=measure', '--initial-cluster-state=new', '--log-level=error', '--logger=zap',
  ];
  procs.push(spawn('setpriv', [`--reuid=${users[i - 1].uid}`, `--regid=${users[i - 1].gid}`, '--clear-groups', 'etcd', ...args], { stdio: 'ignore' }));
}
await new Promise((r) => setTimeout(r, 5000));
for (const p of procs) p.kill('SIGKILL');
for (const s of servers) s.close();
fs.rmSync(base, { recursive: true, force: true });
const told = conns.filter((c) => c.from > 0);
const lookups = conns.map((c) => c.lookupUs).sort((a, b) => a - b);
console.log(JSON.stringify({
  mode,
  connections: conns.length,
  dialerFoundByUid: told.length,
  sourceAddresses: [...new Set(conns.map((c) => c.src))],
  links: [...new Set(told.map((c) => `n${c.from}→n${c.to}`))].sort(),
  uidLookupUs: { p50: lookups[Math.floor(lookups.length / 2)], max: lookups.at(-1) },
}));
process.exit(0);
