// The user's faultline.services.json merged over the shipped defaults, then <SERVICE>_BIN and
// <SERVICE>_PROTO from the environment; every path is checked here, before any process starts.
import fs from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../dsl/errors.ts';
import { checkEntryShape } from './grpc-service/config-shape.ts';
import { originOf, ServiceConfigError, type ServiceConfig, type ServiceConfigInput } from './grpc-service/service-config.ts';
import { isExecutable, notExecutableReason } from './config.ts';
import { resolveClients } from './clients/validate-clients.ts';

/** The file looked for in the project root when FAULTLINE_SERVICES is not set. */
export const CONFIG_FILE_NAME = 'faultline.services.json';

/** Where to look: the environment (read here and in config.ts only) and the project root. */
export interface ConfigFileOptions {
  env?: NodeJS.ProcessEnv;
  /** The project root; default: the current directory. */
  root?: string;
  /** False: the shipped defaults alone, without the user's file (a shipped definition on its own). */
  file?: false;
}

/** The variable that names a service's binary, e.g. "chainfire" → "CHAINFIRE_BIN". */
export function binaryVariable(service: string): string {
  return `${service.toUpperCase()}_BIN`;
}

/** The variable that lists a service's .proto files, e.g. "chainfire" → "CHAINFIRE_PROTO". */
export function protoVariable(service: string): string {
  return `${service.toUpperCase()}_PROTO`;
}

/** Resolves every configured service; throws ServiceConfigError naming the file, field, rule and fix. */
export function loadServiceConfigs<N extends string>(defaults: Record<N, ServiceConfigInput>, options: ConfigFileOptions = {}): Record<N, ServiceConfig> {
  const env = options.env ?? process.env;
  const root = options.root ?? process.cwd();
  const file = options.file === false ? undefined : configFilePath(env, root);
  const user = file ? readConfigFile(file, Object.keys(defaults)) : {};
  const entries = (Object.entries(defaults) as [N, ServiceConfigInput][]).map(([name, shipped]) => [name, resolveService(name, shipped, user[name], file, env, root)] as const);
  return Object.fromEntries(entries) as Record<N, ServiceConfig>;
}

function configFilePath(env: NodeJS.ProcessEnv, root: string): string | undefined {
  if (env.FAULTLINE_SERVICES) {
    const file = path.resolve(root, env.FAULTLINE_SERVICES);
    if (!fs.existsSync(file)) throw new ServiceConfigError('the environment variable FAULTLINE_SERVICES', 'FAULTLINE_SERVICES', `the file "${file}" does not exist.`, `point FAULTLINE_SERVICES at your ${CONFIG_FILE_NAME}, or unset it.`);
    return file;
  }
  const file = path.join(root, CONFIG_FILE_NAME);
  return fs.existsSync(file) ? file : undefined;
}

function readConfigFile(file: string, services: string[]): Record<string, Partial<ServiceConfigInput>> {
  const source = `"${file}"`;
  const fail = (field: string, rule: string, fix: string): never => {
    throw new ServiceConfigError(source, field, rule, fix);
  };
  let json: unknown;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail('(file)', `the file cannot be read (${(e as Error).message}).`, `make it readable, or point FAULTLINE_SERVICES at another file.`);
  }
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('(file)', `the file is not valid JSON: ${jsonErrorAt(text, (e as Error).message)}.`, `fix the JSON at that place; see docs/services.md for a whole example.`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('(file)', 'the file must hold one JSON object, keyed by service name.', `write { "chainfire": { ... }, "flaredb": { ... } }.`);
  const entries = Object.entries(withoutComments(json) as Record<string, unknown>);
  for (const [name, entry] of entries) {
    if (!services.includes(name)) {
      const hint = didYouMean(name, services);
      fail(name, `"${name}" is not a service configured by this file (those are ${services.map((s) => `"${s}"`).join(', ')}).`, hint ? `did you mean "${hint}"?` : `use one of the services, or remove the entry.`);
    }
    checkEntryShape(name, entry, fail);
  }
  return Object.fromEntries(entries) as Record<string, Partial<ServiceConfigInput>>;
}

/** JSON has no comments: keys starting with "$" are comments at every level, and are dropped here. */
export function withoutComments(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withoutComments);
  if (json === null || typeof json !== 'object') return json;
  return Object.fromEntries(Object.entries(json).filter(([k]) => !k.startsWith('$')).map(([k, v]) => [k, withoutComments(v)]));
}

/**
 * A service shipped as a configuration file in the faultline.services.json format (one entry, e.g.
 * services/etcd/etcd.service.json), checked like a user's entry; its relative paths start from its directory.
 */
export function readShippedService(file: string, name: string): ServiceConfigInput {
  const fail = (field: string, rule: string, fix: string): never => {
    throw new ServiceConfigError(`the shipped definition "${file}"`, field, rule, fix);
  };
  let json: unknown;
  try {
    json = withoutComments(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    return fail('(file)', `the file cannot be read as JSON (${(e as Error).message}).`, 'restore it from the repository.');
  }
  checkEntryShape(name, json, fail);
  return { ...(json as ServiceConfigInput), baseDir: path.dirname(file) };
}

/** JSON.parse's "… in JSON at position 41" worded as "… at line 3, column 7 (`  "args": [x]`)". */
function jsonErrorAt(text: string, message: string): string {
  const found = /at position (\d+)/.exec(message)?.[1];
  const position = found !== undefined ? Number(found) : /end of JSON input/.test(message) ? text.trimEnd().length : undefined;
  const bare = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '').replace(/\.$/, '');
  if (position === undefined) return bare;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const source = (text.split('\n')[line - 1] ?? '').trim();
  return `${bare} at line ${line}, column ${column}${source ? ` (\`${source.length > 80 ? `${source.slice(0, 79)}…` : source}\`)` : ''}`;
}

/** "env", "operations", "clients" and "dependents" merge key by key; every other field replaces the shipped default. */
function merge(shipped: ServiceConfigInput, user: Partial<ServiceConfigInput>): ServiceConfigInput {
  return {
    ...shipped,
    ...user,
    env: { ...shipped.env, ...user.env },
    operations: { ...shipped.operations, ...user.operations },
    ...(shipped.clients || user.clients ? { clients: { ...shipped.clients, ...user.clients } } : {}),
    ...(shipped.dependents || user.dependents ? { dependents: { ...shipped.dependents, ...user.dependents } } : {}),
  };
}

function resolveService(name: string, shipped: ServiceConfigInput, user: Partial<ServiceConfigInput> | undefined, file: string | undefined, env: NodeJS.ProcessEnv, root: string): ServiceConfig {
  const variable = binaryVariable(name);
  const protoVar = protoVariable(name);
  const fileSource = `"${file}"`;
  const fileDir = file ? path.dirname(file) : root;
  const fromFile = (p: string) => path.resolve(fileDir, p);
  const origins: ServiceConfig['origins'] = {};
  for (const k of Object.keys(user ?? {}) as (keyof ServiceConfigInput)[]) origins[k] = fileSource;
  const merged = merge(shipped, user ?? {});

  const shippedDir = shipped.baseDir ?? root;
  let proto = (typeof user?.proto === 'string' ? [user.proto] : (user?.proto ?? shipped.proto)).map((p) => (user?.proto ? fromFile(p) : path.resolve(shippedDir, p)));
  if (env[protoVar]) {
    proto = env[protoVar]!.split(path.delimiter).filter(Boolean).map((p) => path.resolve(root, p));
    origins.proto = `the environment variable ${protoVar}`;
  }
  const protoIncludes = user?.protoIncludes ? user.protoIncludes.map(fromFile) : shipped.protoIncludes;

  let binary: string | undefined;
  let missing: string | undefined;
  if (env[variable]) {
    binary = path.resolve(root, env[variable]!);
    origins.binary = `the environment variable ${variable}`;
    const notExecutable = notExecutableReason(binary);
    if (notExecutable) throw new ServiceConfigError(origins.binary, `${name}.binary`, `the file "${binary}" (${variable}=${env[variable]}) ${notExecutable}.`, `make it executable: chmod +x "${binary}" (or point ${variable} at the executable).`);
    if (!isExecutable(binary)) throw new ServiceConfigError(origins.binary, `${name}.binary`, `there is no executable file at "${binary}" (${variable}=${env[variable]}).`, `fix the path in ${variable}, or unset it to use "binary" from ${CONFIG_FILE_NAME}.`);
  } else if (merged.binary && !user?.binary) {
    // A shipped default (etcd's "etcd" on PATH): missing is a reason to skip, worded as the fix, not an error.
    binary = merged.binary.includes('/') ? path.resolve(shippedDir, merged.binary) : onPath(merged.binary, env);
    if (!binary || !isExecutable(binary)) {
      binary = undefined;
      missing = `${name} binary not configured (set ${variable}, or put "${merged.binary}" on PATH)${merged.install ? ` — ${merged.install}` : ''}`;
    }
  } else if (merged.binary) {
    binary = merged.binary.includes('/') ? fromFile(merged.binary) : onPath(merged.binary, env);
    const notExecutable = binary && notExecutableReason(binary);
    if (binary && notExecutable) {
      throw new ServiceConfigError(originOf({ origins, name }, 'binary'), `${name}.binary`, `the file "${binary}" ${notExecutable}.`, `make it executable: chmod +x "${binary}" (or point "binary" at the ${name} executable).`);
    }
    if (!binary || !isExecutable(binary)) {
      throw new ServiceConfigError(originOf({ origins, name }, 'binary'), `${name}.binary`, `there is no executable file at "${binary ?? merged.binary}"${merged.binary.includes('/') ? '' : ' (looked up on PATH)'}.`, `point "binary" at the ${name} executable (relative paths start from the config file's directory), or remove it and set ${variable}.`);
    }
  }

  proto.forEach((p, i) => {
    if (!isReadableFile(p)) {
      throw new ServiceConfigError(originOf({ origins, name }, 'proto'), `${name}.proto[${i}]`, `the .proto file "${p}" cannot be read.`, `point "proto" (or ${protoVar}) at ${name}'s own .proto files, or remove it to use the shipped default.`);
    }
  });

  // Shipped clients start from the shipped file's directory, the user's from theirs; a user's client replaces a shipped one of its name.
  const clientFail = (source: string) => (field: string, rule: string, fix: string): never => {
    throw new ServiceConfigError(source, `${name}.${field}`, rule, fix);
  };
  const shippedClients = Object.fromEntries(Object.entries(shipped.clients ?? {}).filter(([k]) => !(user?.clients && k in user.clients)));
  const subjects = {
    ...resolveClients(Object.keys(shippedClients).length ? shippedClients : undefined, { service: name, baseDir: shippedDir, env }, clientFail(`the shipped defaults of "${name}"`)),
    ...resolveClients(user?.clients, { service: name, baseDir: fileDir, env }, clientFail(fileSource)),
  };
  return { ...merged, proto, ...(protoIncludes ? { protoIncludes } : {}), binary, name, variable, origins, subjects, ...(missing ? { missing } : {}) };
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, command)).find((f) => isExecutable(f));
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
