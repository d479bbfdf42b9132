// The `etcd3` npm client (1.1.2) as a library client under test, with its own default fault handling: a global
// retry (3 retries, no backoff, a shuffled host each) around a per-host circuit breaker (3 failures open it for 5 s).
import { FaultlineError } from '../../dsl/errors.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Etcd3, type IOptions } from 'etcd3';
// Host is only used to obtain the library's own default per-host policy, so the one we observe is exactly it.
import { Host } from 'etcd3/lib/connection-pool.js';
import type { Clock } from '../clock.ts';
import { round } from '../events.ts';
import type { Attempt, Outcome } from '../history.ts';
import type { Endpoint, KvOperation, SelfRetryingClient, WholeOperationResult } from '../service.ts';

/** How the etcd3 client is built. */
export interface Etcd3ClientOptions {
  /**
   * Deadline of each try in ms (default 5000). etcd3 sets none by default, so a try against a frozen member
   * would wait forever; this is call options, not retry policy, which stays the library's default.
   */
  callTimeoutMs?: number;
}

/** The per-host policy etcd3 accepts (cockatiel's IPolicy, named through etcd3 so runner/ needs no cockatiel). */
type HostPolicy = ReturnType<NonNullable<NonNullable<IOptions['faultHandling']>['host']>>;

/** One failed try as etcd3 tells it; `sent: 'no'` only when grpc-js proves the request never left. */
export interface Etcd3Failure {
  status: string;
  message: string;
  sent: 'no' | 'maybe';
}

/** The attempts of the operation whose async context we are in. */
interface OpRecorder {
  clock: Clock;
  endpoints: Endpoint[];
  attempts: Attempt[];
  sent: ('no' | 'maybe')[];
}

/**
 * grpc-js's words when nothing was sent: a refused connection, or a deadline hit while still "Waiting for LB pick".
 * A deadline after the pick names the transport ("remote_addr=…"): that request may have reached the server.
 */
const NOT_SENT = /No connection established|ECONNREFUSED|Waiting for LB pick|circuit breaker is open/;

/** Classifies one error etcd3 threw or passed through its policies (pure). */
export function classifyEtcd3Error(e: unknown): Etcd3Failure {
  const err = e instanceof Error ? e : new FaultlineError(String(e));
  const name = err.constructor?.name ?? err.name;
  const fromText = /^\d+ ([A-Z_]+):/.exec(err.message)?.[1];
  const fromClass = /^GRPC(\w+)Error$/.exec(name)?.[1];
  const circuit = name === 'BrokenCircuitError' || (err as { isBrokenCircuitError?: boolean }).isBrokenCircuitError === true;
  const status = fromText ?? (circuit ? 'UNAVAILABLE' : fromClass && fromClass !== 'Generic' ? fromClass.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : 'UNKNOWN');
  const message = `${name}: ${err.message}`;
  return { status, message, sent: NOT_SENT.test(message) && !/remote_addr=/.test(message) ? 'no' : 'maybe' };
}

/** ok on success; a failed get is `fail`; a failed write is `info` unless no try can have reached a server (pure). */
export function etcd3Outcome(op: KvOperation['op'], failed: boolean, sent: ('no' | 'maybe')[]): Outcome {
  if (!failed) return 'ok';
  if (op === 'get') return 'fail';
  return sent.includes('maybe') ? 'info' : 'fail';
}

const current = new AsyncLocalStorage<OpRecorder>();

/**
 * Wraps etcd3's own per-host policy to see every try: each call through the circuit breaker is one attempt
 * (one gRPC call to that host); a call the open breaker refuses is recorded too, as a try that was not sent.
 * The operation is found through AsyncLocalStorage, so concurrent operations on one client stay apart.
 */
function observed(host: string, inner: HostPolicy): HostPolicy {
  return {
    get _altReturn() {
      return inner._altReturn;
    },
    onSuccess: inner.onSuccess,
    onFailure: inner.onFailure,
    async execute(fn, signal) {
      const rec = current.getStore();
      let calledThrough = false;
      const start = rec?.clock.now() ?? 0;
      const record = (status: string, sent?: 'no' | 'maybe', error?: string) => {
        if (!rec) return;
        const e = rec.endpoints.find((x) => x.address === host);
        rec.attempts.push({ n: rec.attempts.length + 1, start: round(start), end: round(rec.clock.now()), endpoint: e ? `${e.node}@${e.address}` : host, status, ...(error ? { error } : {}) });
        if (sent) rec.sent.push(sent);
      };
      try {
        return await inner.execute(async (ctx) => {
          calledThrough = true;
          try {
            const value = await fn(ctx);
            record('OK');
            return value;
          } catch (e) {
            const f = classifyEtcd3Error(e);
            record(f.status, f.sent, f.message);
            throw e;
          }
        }, signal);
      } catch (e) {
        if (!calledThrough) record('UNAVAILABLE', 'no', `not sent: ${classifyEtcd3Error(e).message}`);
        throw e;
      }
    },
  };
}

/**
 * A SelfRetryingClient over the etcd3 library: one Etcd3 instance per endpoint list, reused across operations
 * (so its circuit breakers remember earlier failures, as in an application).
 * @example
 * const etcd3 = etcd3Client({ callTimeoutMs: 1000 });
 * const r = await etcd3.run({ op: 'get', key: 'k' }, [cluster.endpoint('node-1')], run.clock);
 */
export function etcd3Client(options: Etcd3ClientOptions = {}): SelfRetryingClient {
  const callTimeoutMs = options.callTimeoutMs ?? 5000;
  const clients = new Map<string, Etcd3>();
  const clientFor = (endpoints: Endpoint[]) => {
    const hosts = endpoints.map((e) => e.address);
    let c = clients.get(hosts.join(','));
    if (!c) {
      c = new Etcd3({
        hosts,
        faultHandling: { host: (h) => observed(h, new Host(h, undefined as never).faultHandling) },
        defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
      });
      clients.set(hosts.join(','), c);
    }
    return c;
  };

  return {
    name: 'etcd3',
    async run(op, endpoints, clock) {
      const client = clientFor(endpoints);
      const rec: OpRecorder = { clock, endpoints, attempts: [], sent: [] };
      try {
        const value = await current.run(rec, async () => {
          if (op.op === 'put') await client.put(op.key).value(op.value ?? '').exec();
          else if (op.op === 'delete') await client.delete().key(op.key).exec();
          else return (await client.get(op.key).string()) ?? null;
          return undefined;
        });
        return { outcome: 'ok', attempts: rec.attempts, ...(op.op === 'get' ? { value } : {}) };
      } catch (e) {
        const f = classifyEtcd3Error(e);
        // No try seen at all would mean our hook missed it: then nothing proves the request stayed here.
        const sent = rec.sent.length ? rec.sent : [f.sent];
        const tries = rec.attempts.length;
        return { outcome: etcd3Outcome(op.op, true, sent), attempts: rec.attempts, error: `${f.message} (after ${tries} tr${tries === 1 ? 'y' : 'ies'} seen through etcd3's per-host policy)` };
      }
    },
    async close() {
      for (const c of clients.values()) c.close();
      clients.clear();
    },
  };
}
