#!/usr/bin/env node
// etcd's shipped driver (docs/client-driver.md): the etcd3 npm library (1.1.2), a client nobody here
// wrote, wrapped in a small main that speaks JSON lines. Its own defaults stay: 3 retries with no
// backoff on a new host each, a circuit breaker per host, a watcher that reconnects and resumes.
// Plain JavaScript so it starts fast and needs no build step; configured in services/etcd/etcd.service.json ("clients").
import readline from 'node:readline';
import { Etcd3 } from 'etcd3';
import { Host } from 'etcd3/lib/connection-pool.js';

/** Per-try deadline (etcd3 sets none, so a try against a frozen member would wait forever). Call option, not retry policy. */
const CALL_TIMEOUT_MS = Number(process.env.ETCD3_CALL_TIMEOUT_MS ?? 5000);

const out = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);
const clients = new Map();
const watchers = new Map();
/** The request whose tries the host policies report (one operation at a time per driver is not assumed). */
const { AsyncLocalStorage } = await import('node:async_hooks');
const current = new AsyncLocalStorage();

/** The gRPC status an etcd3 error names ("14 UNAVAILABLE: …", GRPCUnavailableError, an open breaker). */
function status(e) {
  const name = e?.constructor?.name ?? e?.name ?? 'Error';
  const text = /^\d+ ([A-Z_]+):/.exec(e?.message ?? '')?.[1];
  if (text) return text;
  if (name === 'BrokenCircuitError') return 'UNAVAILABLE';
  const cls = /^GRPC(\w+)Error$/.exec(name)?.[1];
  return cls && cls !== 'Generic' ? cls.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : 'UNKNOWN';
}
const describe = (e) => `${e?.constructor?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
/** grpc-js's words when nothing was sent: a refused connection, a deadline while still waiting for a pick, an open breaker. */
const NOT_SENT = /No connection established|ECONNREFUSED|Waiting for LB pick|circuit breaker is open/;

/** etcd3's own per-host policy, observed: every call through it is one try, printed as an {attempt} line. */
function observed(host, inner) {
  return {
    get _altReturn() {
      return inner._altReturn;
    },
    onSuccess: inner.onSuccess,
    onFailure: inner.onFailure,
    async execute(fn, signal) {
      const req = current.getStore();
      let through = false;
      try {
        return await inner.execute(async (ctx) => {
          through = true;
          try {
            const v = await fn(ctx);
            if (req) out({ attempt: req.id, status: 'OK', endpoint: host });
            return v;
          } catch (e) {
            if (req) {
              req.sent.push(NOT_SENT.test(describe(e)) && !/remote_addr=/.test(describe(e)) ? 'no' : 'maybe');
              out({ attempt: req.id, status: status(e), endpoint: host, error: describe(e) });
            }
            throw e;
          }
        }, signal);
      } catch (e) {
        if (!through && req) {
          req.sent.push('no');
          out({ attempt: req.id, status: 'UNAVAILABLE', endpoint: host, error: `not sent: ${describe(e)}` });
        }
        throw e;
      }
    },
  };
}

function clientFor(endpoints) {
  const key = endpoints.join(',');
  let c = clients.get(key);
  if (!c) {
    c = new Etcd3({
      hosts: endpoints,
      faultHandling: { host: (h) => observed(h, new Host(h, undefined).faultHandling) },
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + CALL_TIMEOUT_MS }),
    });
    clients.set(key, c);
  }
  return c;
}

async function operation(req) {
  const c = clientFor(req.endpoints);
  const rec = { id: req.id, sent: [] };
  try {
    const value = await current.run(rec, async () => {
      if (req.op === 'put') await c.put(req.key).value(req.value ?? '').exec();
      else if (req.op === 'delete') await c.delete().key(req.key).exec();
      else return (await c.get(req.key).string()) ?? null;
      return undefined;
    });
    out({ id: req.id, outcome: 'ok', ...(req.op === 'get' ? { value } : {}) });
  } catch (e) {
    // A read changes nothing; a write is indeterminate unless no try can have reached a server.
    const sent = rec.sent.length ? rec.sent : ['maybe'];
    out({ id: req.id, outcome: req.op === 'get' || !sent.includes('maybe') ? 'fail' : 'info', error: describe(e) });
  }
}

async function watch(req) {
  const c = clientFor(req.endpoints);
  let b = c.watch().prefix(req.prefix);
  if (req.revision) b = b.startRevision(String(req.revision));
  const w = b.watcher();
  watchers.set(req.id, w);
  let confirmed = false;
  const event = (type) => (kv) => out({ watch: req.id, type, key: kv.key.toString(), ...(type === 'put' ? { value: kv.value.toString() } : {}), revision: Number(kv.mod_revision) });
  w.on('put', event('put'));
  w.on('delete', event('delete'));
  w.on('disconnected', (e) => out({ watch: req.id, state: 'reconnecting', detail: `disconnected: ${e.message}` }));
  w.on('error', (e) => (confirmed ? out({ watch: req.id, state: 'error', detail: e.message }) : undefined));
  w.on('end', () => out({ watch: req.id, state: 'ended', detail: 'the watcher ended' }));
  w.on('connected', (res) => {
    if (confirmed) return out({ watch: req.id, state: 'reconnected', detail: `watch ${res.watch_id}, header revision ${res.header.revision}` });
    confirmed = true;
    out({ id: req.id, outcome: 'ok', value: `etcd3 watch ${res.watch_id}, header revision ${res.header.revision}` });
  });
}

async function cancel(req) {
  const w = watchers.get(req.watch);
  watchers.delete(req.watch);
  await w?.cancel().catch(() => undefined);
  out({ id: req.id, outcome: 'ok' });
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  if (req.op === 'init') return out({ id: req.id, outcome: 'ok', value: 'etcd3 1.1.2' });
  if (req.op === 'watch') return void watch(req);
  if (req.op === 'cancel') return void cancel(req);
  void operation(req);
});
rl.on('close', () => {
  for (const c of clients.values()) c.close();
  process.exit(0);
});
