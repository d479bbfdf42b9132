// `etcdctl` (Go clientv3) as a black-box client under test: one process per operation. It retries by
// itself and shows its attempts only as warn lines on stderr, so the attempts recorded are what that log reveals.
import fs from 'node:fs';
import readline from 'node:readline';
import { execa } from 'execa';
import { FaultlineError } from '../../dsl/errors.ts';
import type { Clock } from '../clock.ts';
import { EnvironmentError } from '../errors.ts';
import { round } from '../events.ts';
import { guardGroup, killGroup } from '../guarded-group.ts';
import type { Attempt, Outcome } from '../history.ts';
import type { ProcessGuard } from '../node-process.ts';
import type { Endpoint, KvOperation, SelfRetryingClient, WholeOperationResult } from '../service.ts';

/**
 * clientv3's retry interceptor logs every failed invocation as one zap JSON line (fields in this order),
 * e.g. {"level":"warn",…,"msg":"retrying of unary invoker failed","target":"endpoint://client-…/127.0.0.1:2379","attempt":0,"error":"rpc error: code = …"}.
 */
export const ETCDCTL_RETRY_PATTERN = /"msg":"retrying of unary invoker failed".*?"target":"(?<target>(?:[^"\\]|\\.)*)".*?"attempt":(?<attempt>\d+).*?"error":"(?<error>(?:[^"\\]|\\.)*)"/;

/** How etcdctl runs; a service definition passes its own `retryPattern` when its client logs differently. */
export interface EtcdctlClientOptions {
  /** Where ETCDCTL_BIN is read (default process.env); without it, `etcdctl` on PATH. */
  env?: NodeJS.ProcessEnv;
  /** Every process's stdout and stderr are appended here, each line tagged with the operation's id. */
  logFile?: string;
  /** etcdctl's --command-timeout in ms (default: etcdctl's own, 5 s). */
  commandTimeoutMs?: number;
  /** etcdctl's --dial-timeout in ms (default: etcdctl's own, 2 s). */
  dialTimeoutMs?: number;
  /** One failed attempt per matching stderr line; named groups `error` (required), `attempt`, `target`. */
  retryPattern?: RegExp;
  /** The worker's watchdog: it kills each etcdctl's group if this process dies mid-operation. */
  guard?: ProcessGuard;
}

/** One failed attempt as a log line tells it. */
export interface RetryLogLine {
  attempt?: number;
  target?: string;
  error: string;
  /** gRPC status name, e.g. "DEADLINE_EXCEEDED" ("UNKNOWN" when the text names none). */
  status: string;
}

/** How a process ended. `killed`: it outlived its hard deadline and its group was SIGKILLed by us. */
export interface EtcdctlExit {
  exitCode?: number;
  signal?: string;
  killed: boolean;
}

/** The retry record one stderr line holds, or undefined for any other line. Pure. */
export function parseRetryLine(line: string, pattern: RegExp = ETCDCTL_RETRY_PATTERN): RetryLogLine | undefined {
  const g = pattern.exec(line)?.groups;
  if (g?.error === undefined) return undefined;
  const error = unescapeJson(g.error);
  return {
    ...(g.attempt !== undefined ? { attempt: Number(g.attempt) } : {}),
    ...(g.target !== undefined ? { target: unescapeJson(g.target) } : {}),
    error,
    status: grpcStatusOf(error),
  };
}

/** The gRPC status name a Go error text carries: "code = DeadlineExceeded" → "DEADLINE_EXCEEDED". Pure. */
export function grpcStatusOf(text: string): string {
  const code = /code = (\w+)/.exec(text)?.[1];
  if (code) return code === 'Canceled' ? 'CANCELLED' : code.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  if (/context deadline exceeded/.test(text)) return 'DEADLINE_EXCEEDED';
  if (/context canceled/.test(text)) return 'CANCELLED';
  return 'UNKNOWN';
}

/**
 * Texts that prove the request never left: grpc-go's picker reports "latest balancer error" only when the
 * deadline hit while it still had no ready connection; clientv3 retries a write only on "no address/connection".
 */
const NEVER_SENT = /latest balancer error|all SubConns are in TransientFailure|there is no (address|connection) available|connection refused/;
/** Codes with which etcd refuses a request before proposing it (or applies nothing). */
const REJECTED = new Set(['INVALID_ARGUMENT', 'PERMISSION_DENIED', 'UNAUTHENTICATED']);

/**
 * Outcome of one etcdctl process (pure). ok on exit 0. A failed get is `fail` (a read changes nothing).
 * A failed write is `fail` only when certainly not applied, otherwise `info`:
 * - killed by our deadline, a signal or a Go panic → info (it may have been mid-request);
 * - no retry line at all → fail: the interceptor logs every failed RPC, so none was invoked (bad args, dial);
 * - every retry line proves "never sent" or a refusal before proposing → fail;
 * - anything else → info. Note a bare "context deadline exceeded" is ambiguous: grpc-go says the same while
 *   still waiting for the server's HTTP/2 handshake (measured on a SIGSTOPped member: only the 33-byte
 *   preface+SETTINGS in its receive queue, no request) and after sending with no answer. The log cannot tell.
 */
export function classifyEtcdctlExit(op: KvOperation['op'], exit: EtcdctlExit, retries: RetryLogLine[], stderr: string[] = []): Outcome {
  if (exit.exitCode === 0 && !exit.killed) return 'ok';
  if (op === 'get') return 'fail';
  if (exit.killed || exit.signal || stderr.some((l) => /^panic:/.test(l))) return 'info';
  if (retries.length === 0) return 'fail';
  return retries.every((r) => NEVER_SENT.test(r.error) || REJECTED.has(r.status)) ? 'fail' : 'info';
}

/** The value of `etcdctl get -w json` output (keys/values base64); null when the key is absent. Pure. */
export function parseGetJson(stdout: string): string | null {
  const res = JSON.parse(stdout) as { kvs?: { value?: string }[] };
  const kv = res.kvs?.[0];
  return kv ? Buffer.from(kv.value ?? '', 'base64').toString() : null;
}

/** etcdctl's argument list for one operation; `--` keeps keys and values that start with "-" positional. */
export function etcdctlArgs(op: KvOperation, endpoints: Endpoint[], options: Pick<EtcdctlClientOptions, 'commandTimeoutMs' | 'dialTimeoutMs'> = {}): string[] {
  const args = [`--endpoints=${endpoints.map((e) => e.address).join(',')}`];
  if (options.commandTimeoutMs !== undefined) args.push(`--command-timeout=${options.commandTimeoutMs}ms`);
  if (options.dialTimeoutMs !== undefined) args.push(`--dial-timeout=${options.dialTimeoutMs}ms`);
  if (op.op === 'put') return [...args, 'put', '--', op.key, op.value ?? ''];
  if (op.op === 'get') return [...args, 'get', '-w', 'json', '--', op.key];
  return [...args, 'del', '--', op.key];
}

/** Time after etcdctl's own timeouts before we kill its group: it should never be needed. */
const HARD_DEADLINE_SLACK_MS = 3000;

/**
 * A SelfRetryingClient that runs `etcdctl put|get|del` per operation in its own process group.
 * @example
 * const ctl = etcdctlClient({ commandTimeoutMs: 1000, logFile: path.join(run.dir, 'etcdctl.log') });
 * const r = await ctl.run({ op: 'put', key: 'k', value: 'v' }, [cluster.endpoint('node-1')], run.clock);
 */
export function etcdctlClient(options: EtcdctlClientOptions = {}): SelfRetryingClient {
  const pattern = checkPattern(options.retryPattern ?? ETCDCTL_RETRY_PATTERN);
  const bin = (options.env ?? process.env).ETCDCTL_BIN || 'etcdctl';
  const hardDeadlineMs = (options.commandTimeoutMs ?? 5000) + (options.dialTimeoutMs ?? 2000) + HARD_DEADLINE_SLACK_MS;
  const running = new Map<number, Promise<unknown>>();
  let nextId = 1;
  const log = (line: string) => options.logFile && fs.appendFileSync(options.logFile, `${line}\n`);

  return {
    name: 'etcdctl',
    async run(op, endpoints, clock) {
      const id = nextId++;
      const args = etcdctlArgs(op, endpoints, options);
      const start = clock.now();
      const sub = execa(bin, args, { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore', env: { ETCDCTL_API: '3' } });
      if (sub.pid === undefined) {
        const r = await sub;
        throw new EnvironmentError(`Could not start "${bin}": ${r.shortMessage}.\n  Fix: install etcdctl (Debian: apt-get install etcd-client) or set ETCDCTL_BIN to its path.`);
      }
      const pid = sub.pid;
      const guarded = guardGroup(options.guard, pid, `etcdctl op ${id}`, sub);
      const tag = `[op ${id} pid ${pid}]`;
      log(`+${round(start)}ms ${tag} ${bin} ${args.join(' ')}`);
      const stdout: string[] = [];
      const stderr: string[] = [];
      const retries: { line: RetryLogLine; at: number }[] = [];
      const lines = (stream: NodeJS.ReadableStream | null, name: string, fn: (line: string) => void) =>
        new Promise<void>((resolve) => {
          if (!stream) return resolve();
          const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
          rl.on('line', (line) => {
            log(`+${round(clock.now())}ms ${tag} ${name}: ${line}`);
            fn(line);
          });
          rl.once('close', resolve);
        });
      const outDone = lines(sub.stdout, 'stdout', (l) => stdout.push(l));
      const errDone = lines(sub.stderr, 'stderr', (l) => {
        stderr.push(l);
        const r = parseRetryLine(l, pattern);
        if (r) retries.push({ line: r, at: clock.now() });
      });
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        killGroup(pid);
      }, hardDeadlineMs);
      const done = Promise.all([sub, outDone, errDone]);
      running.set(pid, done);
      const [result] = await done.finally(() => {
        clearTimeout(timer);
        running.delete(pid);
      });
      const end = clock.now();
      const exit: EtcdctlExit = { exitCode: result.exitCode ?? undefined, signal: result.signal ?? undefined, killed };
      log(`+${round(end)}ms ${tag} exit code ${exit.exitCode ?? '-'}, signal ${exit.signal ?? '-'}${killed ? `, killed after the hard deadline of ${hardDeadlineMs} ms` : ''}`);
      const refusal = await guarded;
      if (refusal) {
        // Its group was killed: an unguarded etcdctl could outlive this worker.
        log(`+${round(clock.now())}ms ${tag} killed: the watchdog refused its process group: ${String(refusal.refused)}`);
        throw refusal.refused;
      }
      return wholeResult(op, { start, end, exit, stdout, stderr, retries, endpoints, hardDeadlineMs });
    },
    async close() {
      for (const pid of running.keys()) killGroup(pid);
      await Promise.allSettled(running.values());
    },
  };
}

interface Finished {
  start: number;
  end: number;
  exit: EtcdctlExit;
  stdout: string[];
  stderr: string[];
  retries: { line: RetryLogLine; at: number }[];
  endpoints: Endpoint[];
  hardDeadlineMs: number;
}

/**
 * The attempts and outcome of one finished process. etcdctl logs only failures, so a logged attempt is taken
 * to start where the previous one ended (the first at the process start); a last record spans the process.
 */
function wholeResult(op: KvOperation, f: Finished): WholeOperationResult {
  const all = f.endpoints.map(label).join(',');
  const attempts: Attempt[] = [];
  let from = f.start;
  for (const { line, at } of f.retries) {
    // The target is clientv3's dial target (the first endpoint), not where the balancer sent the request.
    const address = line.target?.split('/').pop();
    const one = f.endpoints.length === 1 && f.endpoints[0]!.address === address ? label(f.endpoints[0]!) : all;
    attempts.push({ n: attempts.length + 1, start: round(from), end: round(at), endpoint: one, status: line.status, error: `${line.error}${line.target ? ` (target ${line.target})` : ''}` });
    from = at;
  }
  const outcome = classifyEtcdctlExit(op.op, f.exit, f.retries.map((r) => r.line), f.stderr);
  const lastErr = [...f.stderr].reverse().find((l) => l.trim() !== '');
  const error =
    outcome === 'ok'
      ? undefined
      : f.exit.killed
        ? `etcdctl outlived its hard deadline of ${f.hardDeadlineMs} ms and its process group was killed${lastErr ? `; last stderr line: ${lastErr}` : ''}`
        : `${lastErr ?? '(no stderr)'} (exit code ${f.exit.exitCode ?? '-'}${f.exit.signal ? `, signal ${f.exit.signal}` : ''})`;
  const status = outcome === 'ok' ? 'OK' : f.exit.killed ? 'DEADLINE_EXCEEDED' : (f.retries.at(-1)?.line.status ?? grpcStatusOf(lastErr ?? ''));
  attempts.push({ n: attempts.length + 1, start: round(f.start), end: round(f.end), endpoint: all, status, ...(error ? { error } : {}) });
  const result: WholeOperationResult = { outcome, attempts, ...(error ? { error } : {}) };
  if (op.op === 'get' && outcome === 'ok') result.value = parseGetJson(f.stdout.join('\n'));
  return result;
}

function checkPattern(p: RegExp): RegExp {
  const groups = Object.keys(new RegExp(`${p.source}|`).exec('')?.groups ?? {});
  if (!groups.includes('error') || p.global || p.sticky) {
    throw new FaultlineError(
      `The etcdctl retry pattern ${p} must have a named group "error" and no g/y flag (it has groups: ${groups.join(', ') || 'none'}; flags "${p.flags}").\n  Fix: write it like /"msg":"retrying…".*?"error":"(?<error>[^"]*)"/, optionally with (?<attempt>\\d+) and (?<target>…).`,
    );
  }
  return p;
}

function unescapeJson(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

function label(e: Endpoint): string {
  return `${e.node}@${e.address}`;
}
