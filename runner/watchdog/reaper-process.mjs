// The watchdog process (our Ryuk): removes everything its owner registered once the owner is gone.
//
// Design
// - Started by WatchdogClient.start() as `node reaper-process.mjs <config json>`: Node built-ins only, no
//   loader, so it starts in ~50 ms and does not depend on tsx. detached: its own session and process group,
//   so Ctrl-C in the terminal, a kill of the owner's group and the owner's SIGKILL never reach it.
// - One owner (a Playwright worker, a CLI run) connects once over a Unix socket in a private 0700 temp dir;
//   the socket file is unlinked as soon as the owner is connected, so nobody else can connect.
// - Protocol: one JSON object per line. Owner → reaper {seq, op: register|unregister|close, id, item};
//   reaper → owner {seq, ok} or {seq, error} (the error states the rule and the fix).
// - Triggers: (1) the connection closes without `close` (the kernel closes it on any exit of the owner,
//   SIGKILL included); (2) the owner pid (checked with its start time, so a reused pid does not fool it) or a
//   pid in alsoWatch is gone — a second trigger for when the owner's socket fd outlived it (inherited).
//   Trigger (2) waits a short grace so registrations still buffered in the socket are read first.
//   SIGTERM to the reaper also cleans up (then exits); SIGINT and SIGHUP are ignored.
// - Cleanup: first SIGKILL every registered process group and cgroup (cgroup.kill; no SIGCONT needed:
//   SIGKILL ends stopped processes too) and wait until none has a live member, then undo the other items
//   newest first (cgroup directories, commands, iptables chains and their jumps, network namespaces, dirs).
// - `close` from the owner is a normal end: whatever is still registered is cleaned the same way (it would
//   leak otherwise) and listed in the reply; then the reaper exits.
// - Log: one line per event in the log file. The private temp dir (and a default log in it) is always removed
//   on exit, so nothing of a run stays in /tmp; a log given outside it (the fixture puts it in test-results/)
//   stays as the evidence (with logOnlyWhenCleaned, only when something was cleaned).
// - Not covered: SIGKILL of the reaper itself; a group spawned but not yet registered when the owner dies
//   (register right after spawn: register() writes to the socket before it returns, so only that gap is open).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RegistrationRefused, admit, cgroupPopulated, describeItem, killCgroup, killGroup, undoItem } from './reap-actions.mjs';
import { isSameLiveProcess, liveGroupMembers, readStat } from './process-identity.mjs';

const GROUP_GONE_TIMEOUT_MS = 3_000;
const OWNER_GONE_GRACE_MS = 250;
/** Kinds whose processes are killed (and awaited) before anything else is undone. */
const KILLED_FIRST = new Set(['pgid', 'cgroup']);

const cfg = JSON.parse(process.argv[2] ?? '{}');
const logFd = fs.openSync(cfg.log, 'a');
const registry = new Map();
let conn;
let closing = false;
let reaped = false;
let exiting = false;
let cleanedSomething = false;
let connectTimer;
let ownerGone = false;

/** Appends one line, synchronously: the reaper may be about to exit. */
function log(line) {
  fs.writeSync(logFd, `${new Date().toISOString()} [watchdog ${process.pid}, owner ${cfg.owner}] ${line}\n`);
}

process.title = `faultline-watchdog owner=${cfg.owner}`;
process.on('uncaughtException', (e) => log(`internal error (still watching): ${e.stack ?? e}`));
process.on('SIGINT', () => log('ignored SIGINT (the owner decides when to clean up)'));
process.on('SIGHUP', () => log('ignored SIGHUP'));
process.on('SIGTERM', () => {
  log('got SIGTERM: cleaning up before exiting');
  reapAll('the watchdog got SIGTERM');
  exit();
});

const watched = [cfg.owner, ...(cfg.alsoWatch ?? [])].map((pid) => ({ pid, starttime: readStat(pid)?.starttime }));
if (watched.some((w) => w.starttime === undefined)) {
  log(`pid ${watched.find((w) => w.starttime === undefined).pid} was already gone at start: nothing to watch`);
  exit();
} else {
  listen();
}

/** Accepts the one owner connection and reads its requests. */
function listen() {
  const server = net.createServer((socket) => {
    if (conn) return socket.destroy();
    conn = socket;
    clearTimeout(connectTimer);
    server.close();
    fs.rmSync(cfg.socket, { force: true });
    log(`owner connected; watching pid(s) ${watched.map((w) => w.pid).join(', ')}`);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        handle(line);
      }
    });
    socket.on('error', () => {}); // ECONNRESET when the owner dies with unread acks; 'close' follows.
    socket.on('close', () => {
      if (closing) return exit();
      reapAll('the owner\'s connection closed without "close" (the owner exited or was killed)');
      exit();
    });
  });
  server.on('error', (e) => {
    log(`cannot listen on ${cfg.socket}: ${e.message}`);
    exit();
  });
  server.listen(cfg.socket, () => {
    fs.writeSync(1, `${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  });

  connectTimer = setTimeout(() => {
    log(`the owner did not connect within ${cfg.connectTimeoutMs ?? 30_000} ms: exiting`);
    exit();
  }, cfg.connectTimeoutMs ?? 30_000);

  setInterval(() => {
    const gone = watched.find((w) => !isSameLiveProcess(w.pid, w.starttime));
    if (!gone || ownerGone) return;
    ownerGone = true;
    const reason = `pid ${gone.pid}${gone.pid === cfg.owner ? ' (the owner)' : ''} is gone`;
    // Registrations the owner wrote just before dying may still sit in the socket: let it drain first.
    setTimeout(() => {
      reapAll(reason);
      exit();
    }, conn && !conn.destroyed ? OWNER_GONE_GRACE_MS : 0);
  }, cfg.livenessMs ?? 500).unref();
}

function handle(line) {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return log(`ignored a line that is not JSON: ${line.slice(0, 200)}`);
  }
  const reply = (r) => conn && !conn.destroyed && conn.write(`${JSON.stringify({ seq: msg.seq, ...r })}\n`);
  if (reaped) return reply({ error: 'the watchdog has already cleaned up and is exiting: start a new WatchdogClient.' });
  if (msg.op === 'register') {
    try {
      if (registry.has(msg.id)) throw new RegistrationRefused(`registration id "${msg.id}" is already in use: use a fresh id per registration.`);
      const rec = admit(msg.item, { ownerPid: cfg.owner });
      registry.set(msg.id, { item: msg.item, rec });
      log(`registered ${msg.id}: ${describeItem(msg.item, rec)}`);
      reply({ ok: true });
    } catch (e) {
      log(`refused ${describeItem(msg.item)}: ${e.message}`);
      reply({ error: e.message });
    }
  } else if (msg.op === 'unregister') {
    const entry = registry.get(msg.id);
    if (!entry) return reply({ error: `registration "${msg.id}" is unknown: it was never registered or is already unregistered.` });
    registry.delete(msg.id);
    log(`unregistered ${msg.id}: ${describeItem(entry.item, entry.rec)}`);
    reply({ ok: true });
  } else if (msg.op === 'close') {
    closing = true;
    const lines = reapAll(registry.size ? 'the owner closed the watchdog with items still registered' : 'the owner closed the watchdog');
    reply({ ok: true, reaped: lines });
    conn.end();
  } else {
    reply({ error: `unknown op "${msg.op}": use register, unregister or close.` });
  }
}

/** Cleans everything still registered, once; returns the log lines of what was done. */
function reapAll(reason) {
  if (reaped) return [];
  reaped = true;
  const entries = [...registry.values()].reverse();
  registry.clear();
  if (entries.length === 0) {
    log(`${reason}; nothing was registered`);
    return [];
  }
  log(`${reason}; cleaning ${entries.length} item(s)`);
  const lines = [];
  const note = (line) => {
    lines.push(line);
    log(line);
    // An item the owner had removed itself (e.g. an emptied cgroup at its exit) is not worth keeping a log for.
    if (!line.endsWith('already gone') && !/with cgroup\.kill \(it was empty\)$/.test(line)) cleanedSomething = true;
  };
  const started = performance.now();
  const killed = [];
  for (const { item, rec } of entries.filter((e) => KILLED_FIRST.has(e.item.kind))) {
    const r = item.kind === 'cgroup' ? killCgroup(item) : killGroup(item, rec);
    note(r.line);
    if (r.signalled) killed.push(item);
  }
  const deadline = performance.now() + GROUP_GONE_TIMEOUT_MS;
  const isAlive = (item) => (item.kind === 'cgroup' ? cgroupPopulated(item.path) : liveGroupMembers(item.pgid).length > 0);
  let alive = killed;
  while (alive.length && performance.now() < deadline) {
    alive = alive.filter(isAlive);
    if (alive.length) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  if (killed.length) {
    note(alive.length
      ? `${alive.map((i) => describeItem(i)).join(', ')} still have live processes after ${GROUP_GONE_TIMEOUT_MS} ms`
      : `all ${killed.length} killed group(s) and cgroup(s) gone after ${Math.round(performance.now() - started)} ms`);
  }
  // Cgroups are removed here too (rmdir), newest first: a node's cgroup before its parent.
  for (const { item } of entries.filter((e) => e.item.kind !== 'pgid')) note(undoItem(item));
  return lines;
}

function exit() {
  if (exiting) return;
  exiting = true;
  fs.rmSync(cfg.socket, { force: true });
  // The private dir (socket, default log) never outlives the reaper: a run leaves nothing in /tmp. A log outside
  // it is the evidence, kept unless nothing was cleaned and the owner asked to keep it only then.
  log('exiting');
  fs.rmSync(cfg.dir, { recursive: true, force: true });
  if (!cleanedSomething && cfg.logOnlyWhenCleaned) fs.rmSync(cfg.log, { force: true });
  // Give a pending reply (the ack of "close") a moment to leave, then go.
  setTimeout(() => process.exit(0), conn && !conn.destroyed ? 50 : 0);
}
