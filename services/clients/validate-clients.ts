// The "clients" of a service definition (clients under test: a command per operation, or a driver
// program) checked and resolved before any process starts: every template, regex, path and claim, each
// error naming the service, the client, the field, the rule and the fix.
import path from 'node:path';
import { didYouMean, ScenarioError } from '../../dsl/errors.ts';
import { parseDuration } from '../../dsl/duration.ts';
import { CLIENT_PLACEHOLDERS, type BackoffClaim, type ClientClaims, type ClientUnderTestConfig, type CommandOperation, type ValueReader, type WatchLineReader } from '../../runner/contract/subject-config.ts';
import { isExecutable } from '../config.ts';
import { placeholdersIn } from '../grpc-service/placeholders.ts';

/** Reports one problem at `field` ("clients.etcdctl.command.get.args[3]"): the rule broken and the fix. */
export type ClientFail = (field: string, rule: string, fix: string) => never;

/** Where relative paths start and where programs are looked up. */
export interface ClientContext {
  service: string;
  /** Directory that relative paths in the configuration start from (the config file's). */
  baseDir: string;
  env: NodeJS.ProcessEnv;
}

const OPS = ['put', 'get', 'delete'] as const;
/** The placeholders each template may use. */
const ALLOWED: Record<string, (keyof typeof CLIENT_PLACEHOLDERS)[]> = {
  put: ['endpoints', 'endpoint', 'key', 'value'],
  get: ['endpoints', 'endpoint', 'key'],
  delete: ['endpoints', 'endpoint', 'key'],
  watch: ['endpoints', 'endpoint', 'prefix', 'revision'],
};

type Obj = Record<string, unknown>;

/** Resolves every client of one service; throws through `fail` at the first problem. */
export function resolveClients(input: unknown, ctx: ClientContext, fail: ClientFail): Record<string, ClientUnderTestConfig> {
  if (input === undefined) return {};
  const clients = object(input, 'clients', fail);
  const out: Record<string, ClientUnderTestConfig> = {};
  for (const [name, raw] of Object.entries(clients)) {
    if (name.startsWith('$')) continue;
    const at = `clients.${name}`;
    if (!/^[a-z0-9][\w-]*$/i.test(name)) fail(at, `a client's name is letters, digits, "-" and "_", got ${JSON.stringify(name)}.`, 'rename it, e.g. "cli" or "rust-client".');
    const entry = object(raw, at, fail);
    known(entry, at, ['command', 'driver', 'claims'], fail);
    const claims = resolveClaims(entry.claims, `${at}.claims`, fail);
    if ((entry.command === undefined) === (entry.driver === undefined)) fail(at, 'a client is either a "command" (a CLI run per operation) or a "driver" (a program speaking docs/client-driver.md), exactly one.', `write "${name}": { "command": { … } } or "${name}": { "driver": { "command": ["…"] } }.`);
    out[name] = entry.command !== undefined ? { ...resolveCommand(entry.command, `${at}.command`, ctx, fail), name, service: ctx.service, claims } : { ...resolveDriver(entry.driver, `${at}.driver`, ctx, fail), name, service: ctx.service, claims };
  }
  return out;
}

function resolveCommand(input: unknown, at: string, ctx: ClientContext, fail: ClientFail) {
  const c = object(input, at, fail);
  known(c, at, ['binary', 'binaryVariable', 'env', 'timeout', 'put', 'get', 'delete', 'watch', 'attemptLine', 'notSent'], fail);
  // "binaryVariable" names an environment variable that, when set, replaces "binary" (etcd's ETCDCTL_BIN).
  const variable = c.binaryVariable === undefined ? undefined : str(c.binaryVariable, `${at}.binaryVariable`, fail);
  const binary = (variable && ctx.env[variable]) || str(c.binary, `${at}.binary`, fail);
  const { file, unavailable } = program(binary, `${at}.binary`, ctx);
  const ops: { put?: CommandOperation; get?: CommandOperation; delete?: CommandOperation } = {};
  for (const op of OPS) if (c[op] !== undefined) ops[op] = resolveOperation(c[op], `${at}.${op}`, op, fail);
  if (!ops.put && !ops.get && !ops.delete && c.watch === undefined) fail(at, 'a command client maps no operation.', 'add at least one of "put", "get", "delete", "watch", each with its "args".');
  const attemptLine = c.attemptLine === undefined ? undefined : regex(c.attemptLine, `${at}.attemptLine`, fail, ['error']);
  const notSent = c.notSent === undefined ? undefined : regex(c.notSent, `${at}.notSent`, fail);
  return {
    kind: 'command' as const,
    command: file,
    env: env(c.env, `${at}.env`, fail),
    timeoutMs: duration(c.timeout ?? '10s', `${at}.timeout`, fail),
    ...ops,
    ...(c.watch === undefined ? {} : { watch: resolveWatch(c.watch, `${at}.watch`, fail) }),
    ...(attemptLine === undefined ? {} : { attemptLine }),
    ...(notSent === undefined ? {} : { notSent }),
    ...(unavailable ? { unavailable } : {}),
  };
}

function resolveDriver(input: unknown, at: string, ctx: ClientContext, fail: ClientFail) {
  const d = object(input, at, fail);
  known(d, at, ['command', 'env', 'timeout'], fail);
  const command = list(d.command, `${at}.command`, fail);
  if (!command.length) fail(`${at}.command`, 'the driver command is empty.', 'write the program and its arguments, e.g. ["node", "./my-driver.mjs"] or ["../target/release/my-driver"].');
  const [first, ...rest] = command;
  const { file, unavailable } = program(first!, `${at}.command[0]`, ctx);
  // Arguments that look like relative paths start from the configuration's directory, as "binary" does.
  const args = rest.map((a) => (a.startsWith('./') || a.startsWith('../') ? path.resolve(ctx.baseDir, a) : a));
  return { kind: 'driver' as const, command: [file, ...args], env: env(d.env, `${at}.env`, fail), timeoutMs: duration(d.timeout ?? '30s', `${at}.timeout`, fail), ...(unavailable ? { unavailable } : {}) };
}

function resolveOperation(input: unknown, at: string, op: string, fail: ClientFail): CommandOperation {
  const o = object(input, at, fail);
  known(o, at, op === 'get' ? ['args', 'value'] : ['args'], fail);
  const args = templates(o.args, `${at}.args`, ALLOWED[op]!, fail);
  if (op !== 'get') return { args };
  if (o.value === undefined) fail(`${at}.value`, 'a get needs to say where the value is in the output.', 'add "value": { "json": "kvs.0.value", "absent": "kvs" } or "value": { "regex": "^(?<value>.*)$" }.');
  return { args, value: valueReader(o.value, `${at}.value`, fail) };
}

function valueReader(input: unknown, at: string, fail: ClientFail): ValueReader {
  const v = object(input, at, fail);
  known(v, at, ['regex', 'json', 'decode', 'absent'], fail);
  const decode = decoding(v.decode, `${at}.decode`, fail);
  if ((v.regex === undefined) === (v.json === undefined)) fail(at, 'the value is read by exactly one of "regex" (over stdout) or "json" (a dot path into stdout as JSON).', 'write { "regex": "^(?<value>.*)$" } or { "json": "kvs.0.value" }.');
  if (v.regex !== undefined) {
    if (v.absent !== undefined) fail(`${at}.absent`, '"absent" goes with "json"; with "regex", a stdout that does not match means the key is absent.', 'remove "absent".');
    return { regex: regex(v.regex, `${at}.regex`, fail), ...(decode ? { decode } : {}) };
  }
  return { json: dotPath(v.json, `${at}.json`, fail), ...(decode ? { decode } : {}), ...(v.absent === undefined ? {} : { absent: dotPath(v.absent, `${at}.absent`, fail) }) };
}

function resolveWatch(input: unknown, at: string, fail: ClientFail): { args: string[]; line: WatchLineReader } {
  const w = object(input, at, fail);
  known(w, at, ['args', 'line'], fail);
  const args = templates(w.args, `${at}.args`, ALLOWED.watch!, fail);
  const l = object(w.line, `${at}.line`, fail);
  known(l, `${at}.line`, ['events', 'key', 'value', 'revision', 'type', 'deleteType', 'decode'], fail);
  if (l.key === undefined) fail(`${at}.line.key`, 'a watch line reader needs the path of the key within one event.', 'add "key", e.g. "kv.key".');
  const paths: Partial<WatchLineReader> = {};
  for (const k of ['events', 'key', 'value', 'revision', 'type'] as const) if (l[k] !== undefined) paths[k] = dotPath(l[k], `${at}.line.${k}`, fail);
  if (l.deleteType !== undefined && typeof l.deleteType !== 'string' && typeof l.deleteType !== 'number') fail(`${at}.line.deleteType`, `must be a string or a number, got ${JSON.stringify(l.deleteType)}.`, 'write the value of "type" that marks a delete, e.g. 1 or "DELETE".');
  const decode = decoding(l.decode, `${at}.line.decode`, fail);
  return { args, line: { ...(paths as WatchLineReader), ...(l.deleteType === undefined ? {} : { deleteType: l.deleteType as string | number }), ...(decode ? { decode } : {}) } };
}

/** Claims are what the client's own documentation says; each one cites it in "source". */
function resolveClaims(input: unknown, at: string, fail: ClientFail): ClientClaims {
  if (input === undefined) return {};
  const c = object(input, at, fail);
  known(c, at, ['retry', 'reconnect', 'watch'], fail);
  const claims: ClientClaims = {};
  if (c.retry !== undefined) {
    const r = object(c.retry, `${at}.retry`, fail);
    known(r, `${at}.retry`, ['retries', 'initial', 'multiplier', 'max', 'jitter', 'source'], fail);
    if (!Number.isInteger(r.retries) || (r.retries as number) < 0) fail(`${at}.retry.retries`, `is the number of retries after the first try, a whole number >= 0, got ${JSON.stringify(r.retries)}.`, 'write e.g. "retries": 3, or 0 for a client that claims no retry.');
    claims.retry = { retries: r.retries as number, ...backoff(r, `${at}.retry`, fail, (r.retries as number) === 0) };
  }
  if (c.reconnect !== undefined) {
    const r = object(c.reconnect, `${at}.reconnect`, fail);
    known(r, `${at}.reconnect`, ['initial', 'multiplier', 'max', 'jitter', 'source'], fail);
    claims.reconnect = backoff(r, `${at}.reconnect`, fail, false);
  }
  if (c.watch !== undefined) {
    const w = object(c.watch, `${at}.watch`, fail);
    known(w, `${at}.watch`, ['resumes', 'source'], fail);
    if (typeof w.resumes !== 'boolean') fail(`${at}.watch.resumes`, `must be true or false, got ${JSON.stringify(w.resumes)}.`, 'write "resumes": true when the client resumes a lost watch from the last revision + 1, else false.');
    claims.watch = { resumes: w.resumes as boolean, source: source(w.source, `${at}.watch.source`, fail) };
  }
  return claims;
}

function backoff(r: Obj, at: string, fail: ClientFail, none: boolean): BackoffClaim {
  const initialMs = none && r.initial === undefined ? 0 : duration(r.initial, `${at}.initial`, fail);
  const multiplier = r.multiplier ?? 1;
  if (typeof multiplier !== 'number' || multiplier < 1) fail(`${at}.multiplier`, `is the factor between consecutive pauses, a number >= 1, got ${JSON.stringify(multiplier)}.`, 'write e.g. 2 (doubling), or 1 for evenly spaced tries.');
  const maxMs = r.max === undefined ? Math.max(initialMs, 0) * (multiplier === 1 ? 1 : 1_000_000) : duration(r.max, `${at}.max`, fail);
  const jitter = r.jitter ?? 0;
  if (typeof jitter !== 'number' || jitter < 0 || jitter >= 1) fail(`${at}.jitter`, `is the client's randomisation of each pause, 0 <= jitter < 1, got ${JSON.stringify(jitter)}.`, 'write e.g. 0.2 for ±20 %, or leave it out for none.');
  return { initialMs, multiplier: multiplier as number, maxMs, jitter: jitter as number, source: source(r.source, `${at}.source`, fail) };
}

function source(v: unknown, at: string, fail: ClientFail): string {
  if (typeof v !== 'string' || v.trim().length < 8) fail(at, 'a claim cites where the client says it (its documentation or source), never a measurement: the check against a measurement could not fail otherwise.', 'write e.g. "source": "chainfire-api/src/raft_client.rs: RetryConfig::default (3 retries, 2.0x, 500 ms-30 s)".');
  return v as string;
}

function templates(v: unknown, at: string, allowed: readonly string[], fail: ClientFail): string[] {
  const args = list(v, at, fail);
  args.forEach((a, i) => {
    const bad = placeholdersIn(a).find((p) => !allowed.includes(p));
    if (bad === undefined) return;
    const hint = didYouMean(bad, Object.keys(CLIENT_PLACEHOLDERS));
    fail(`${at}[${i}]`, `"{${bad}}" is not a placeholder here (here: ${allowed.map((p) => `{${p}}`).join(', ')}).`, hint && allowed.includes(hint as never) ? `did you mean "{${hint}}"?` : 'use one of those, or write the text literally.');
  });
  return args;
}

function regex(v: unknown, at: string, fail: ClientFail, groups: string[] = []): string {
  const s = str(v, at, fail);
  let re: RegExp;
  try {
    re = new RegExp(s);
  } catch (e) {
    return fail(at, `${JSON.stringify(s)} is not a regular expression (${(e as Error).message}).`, 'write a JavaScript regular expression; in JSON, a backslash is written "\\\\".');
  }
  const have = Object.keys(new RegExp(`${re.source}|`).exec('')?.groups ?? {});
  const missing = groups.find((g) => !have.includes(g));
  if (missing) fail(at, `the regular expression needs a named group "${missing}" (it has: ${have.join(', ') || 'none'}).`, `capture the text with (?<${missing}>…), e.g. "\\"error\\":\\"(?<${missing}>[^\\"]*)\\"".`);
  return s;
}

function dotPath(v: unknown, at: string, fail: ClientFail): string {
  const s = str(v, at, fail);
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(s)) fail(at, `${JSON.stringify(s)} is not a dot path (field names and list indexes joined by ".").`, 'write e.g. "kvs.0.value".');
  return s;
}

function decoding(v: unknown, at: string, fail: ClientFail): 'base64' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'base64') fail(at, `the only decoding is "base64", got ${JSON.stringify(v)}.`, 'write "decode": "base64", or leave it out for text.');
  return 'base64';
}

function duration(v: unknown, at: string, fail: ClientFail): number {
  try {
    return parseDuration(v, at);
  } catch (e) {
    if (e instanceof ScenarioError) return fail(at, e.rule, e.fix);
    throw e;
  }
}

/** A program by path (relative to the config's directory) or by name on PATH; missing is a skip reason, not an error. */
function program(name: string, at: string, ctx: ClientContext): { file: string; unavailable?: string } {
  if (name.includes('/')) {
    const file = path.resolve(ctx.baseDir, name);
    return isExecutable(file) ? { file } : { file, unavailable: `the ${at} of ${ctx.service}, "${file}", is not an executable file` };
  }
  const found = (ctx.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, name)).find((f) => isExecutable(f));
  return found ? { file: found } : { file: name, unavailable: `"${name}" (${at} of ${ctx.service}) is not on PATH` };
}

function env(v: unknown, at: string, fail: ClientFail): Record<string, string> {
  if (v === undefined) return {};
  const o = object(v, at, fail);
  for (const [k, s] of Object.entries(o)) str(s, `${at}.${k}`, fail);
  return o as Record<string, string>;
}

function object(v: unknown, at: string, fail: ClientFail): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(at, `must be an object, got ${v === null ? 'null' : Array.isArray(v) ? 'a list' : JSON.stringify(v)}.`, 'write it as a JSON object: { … }.');
  return v as Obj;
}

function list(v: unknown, at: string, fail: ClientFail): string[] {
  if (!Array.isArray(v)) fail(at, `must be a list of strings, got ${JSON.stringify(v)}.`, 'write it as a JSON list, e.g. ["--endpoints={endpoints}", "put", "{key}", "{value}"].');
  (v as unknown[]).forEach((s, i) => str(s, `${at}[${i}]`, fail));
  return v as string[];
}

function str(v: unknown, at: string, fail: ClientFail): string {
  if (typeof v !== 'string') fail(at, `must be a string, got ${v === undefined ? 'nothing' : JSON.stringify(v)}.`, 'write it as a JSON string.');
  return v as string;
}

function known(o: Obj, at: string, names: string[], fail: ClientFail): void {
  for (const k of Object.keys(o)) {
    if (names.includes(k) || k.startsWith('$')) continue;
    const hint = didYouMean(k, names);
    fail(`${at}.${k}`, `"${k}" is not a known field (known: ${names.map((n) => `"${n}"`).join(', ')}).`, hint ? `did you mean "${hint}"?` : 'remove it, or see docs/services.md ("clients").');
  }
}
