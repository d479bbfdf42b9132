// faultline.hosts.json read and checked like the services file: every field, before any host is contacted or any
// node starts; an error names the file, the host, the field, the rule and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../../dsl/errors.ts';
import type { HostConfig, HostRun, HostsConfig } from './hosts-config.ts';
import { HostsError } from './hosts-error.ts';

/** The file looked for in the project root when FAULTLINE_HOSTS names none. */
export const HOSTS_FILE_NAME = 'faultline.hosts.json';

const HOST_FIELDS = ['address', 'port', 'user', 'key', 'knownHosts', 'run', 'binary', 'dataDir', 'peerAddress'] as const;
const DEFAULT_DATA_DIR = '/var/tmp/faultline/{run}/{node}';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*)$/;
const TEMPLATE = /\{(?!node\}|run\})[^}]*\}/;

/** Reads and validates a hosts file; relative key paths are relative to the file. */
export function loadHostsFile(file: string): HostsConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new HostsError('(file)', '(file)', `${file} cannot be read (${(e as Error).message}).`, `write ${HOSTS_FILE_NAME} (see docs/hosts.md), or point FAULTLINE_HOSTS at it.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HostsError('(file)', '(file)', `${file} is not valid JSON: ${(e as Error).message}.`, 'fix the JSON at that place.');
  }
  return parseHosts(json, file, path.dirname(file));
}

/** Validates parsed JSON (`{ "hosts": { "<name>": { … } } }`); `base` resolves relative key paths. */
export function parseHosts(json: unknown, source: string, base: string): HostsConfig {
  const fail = (host: string, field: string, rule: string, fix: string): never => {
    throw new HostsError(host, field, `${rule} (in ${source})`, fix);
  };
  if (!isObject(json)) return fail('(file)', '(file)', 'the file must hold one JSON object with a "hosts" object.', 'write { "hosts": { "h1": { "address": "…", "key": "…" } } }.');
  for (const k of Object.keys(json).filter((k) => !k.startsWith('$') && k !== 'hosts')) fail('(file)', k, `"${k}" is not a field of a hosts file (its fields: "hosts"; keys starting with $ are comments).`, `remove "${k}", or move it into a host.`);
  const hosts = json.hosts;
  if (!isObject(hosts) || Object.keys(hosts).length === 0) return fail('(file)', 'hosts', '"hosts" must be an object with at least one host by name.', 'write "hosts": { "h1": { "address": "10.0.0.1", "key": "~/.ssh/id_ed25519" } }.');
  return { source, hosts: Object.entries(hosts).map(([name, entry]) => parseHost(name, entry, base, fail)) };
}

function parseHost(name: string, entry: unknown, base: string, fail: (host: string, field: string, rule: string, fix: string) => never): HostConfig {
  if (!NAME.test(name)) fail(name, '(name)', `a host name has letters, digits, _ . - (at most 32, starting with a letter or digit).`, 'rename the host.');
  if (!isObject(entry)) return fail(name, '(host)', 'a host must be an object.', 'write { "address": "…", "key": "…" }.');
  for (const k of Object.keys(entry).filter((k) => !k.startsWith('$'))) {
    if (!(HOST_FIELDS as readonly string[]).includes(k)) {
      const hint = didYouMean(k, HOST_FIELDS);
      fail(name, k, `"${k}" is not a field of a host (fields: ${HOST_FIELDS.join(', ')}).`, hint ? `did you mean "${hint}"?` : `remove "${k}".`);
    }
  }
  const str = (field: string, required: boolean): string | undefined => {
    const v = entry[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !v) return fail(name, field, `"${field}" must be a non-empty string${v === undefined ? ' and is required' : `, got ${JSON.stringify(v)}`}.`, `set "${field}".`);
    return v;
  };
  const address = str('address', true)!;
  if (!ADDRESS.test(address)) fail(name, 'address', `"${address}" is not an IPv4 address or host name.`, 'set the address ssh and the nodes use, e.g. "198.18.0.1".');
  const port = entry.port ?? 22;
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) fail(name, 'port', `"port" must be an integer from 1 to 65535, got ${JSON.stringify(port)}.`, 'set sshd\'s port, or leave it out for 22.');
  const key = path.resolve(base, str('key', true)!);
  if (!fs.existsSync(key)) fail(name, 'key', `the private key "${key}" does not exist.`, 'point "key" at the private key the host accepts (relative paths are relative to the hosts file).');
  const knownHostsRaw = str('knownHosts', false);
  const knownHosts = knownHostsRaw ? path.resolve(base, knownHostsRaw) : undefined;
  if (knownHosts && !fs.existsSync(knownHosts)) fail(name, 'knownHosts', `the known_hosts file "${knownHosts}" does not exist.`, 'write it (ssh-keyscan <address> > file), or leave "knownHosts" out to accept the host key on first use.');
  const binary = str('binary', false);
  if (binary && !binary.startsWith('/')) fail(name, 'binary', `"binary" must be an absolute path on the host, got "${binary}".`, 'e.g. "/usr/bin/etcd".');
  const dataDir = str('dataDir', false) ?? DEFAULT_DATA_DIR;
  if (!dataDir.startsWith('/') || TEMPLATE.test(dataDir)) fail(name, 'dataDir', `"dataDir" must be an absolute path on the host using only {node} and {run}, got "${dataDir}".`, `e.g. "${DEFAULT_DATA_DIR}".`);
  if (!dataDir.includes('{node}')) fail(name, 'dataDir', `"dataDir" must contain {node}: two nodes on one host would share it.`, `e.g. "${DEFAULT_DATA_DIR}".`);
  const peerAddress = str('peerAddress', false) ?? address;
  if (!ADDRESS.test(peerAddress)) fail(name, 'peerAddress', `"${peerAddress}" is not an IPv4 address or host name.`, 'set the address the node listens on and its peers dial, or leave it out for "address".');
  return { name, address, port: port as number, user: str('user', false) ?? 'root', key, ...(knownHosts ? { knownHosts } : {}), run: parseRun(name, entry.run, fail), ...(binary ? { binary } : {}), dataDir, peerAddress };
}

function parseRun(name: string, run: unknown, fail: (host: string, field: string, rule: string, fix: string) => never): HostRun {
  if (run === undefined) return { kind: 'process', pidFile: '{dataDir}.pid' };
  const fix = 'write "run": { "process": { "pidFile": "/run/faultline/{node}.pid" } } or "run": { "systemd": { "unit": "etcd@{node}.service" } }.';
  if (!isObject(run) || Object.keys(run).length !== 1) return fail(name, 'run', '"run" must be an object with exactly one of "process" or "systemd".', fix);
  const [kind, body] = Object.entries(run)[0]!;
  if (!isObject(body)) return fail(name, `run.${kind}`, `"run.${kind}" must be an object.`, fix);
  if (kind === 'process') {
    const extra = Object.keys(body).filter((k) => k !== 'pidFile');
    if (extra.length) fail(name, `run.process.${extra[0]}`, `"${extra[0]}" is not a field of run.process (fields: pidFile).`, fix);
    const pidFile = body.pidFile ?? '{dataDir}.pid';
    if (typeof pidFile !== 'string' || !(pidFile.startsWith('/') || pidFile.startsWith('{dataDir}'))) return fail(name, 'run.process.pidFile', `"pidFile" must be an absolute path on the host (or start with {dataDir}), got ${JSON.stringify(pidFile)}.`, fix);
    return { kind: 'process', pidFile };
  }
  if (kind === 'systemd') {
    const extra = Object.keys(body).filter((k) => k !== 'unit');
    if (extra.length) fail(name, `run.systemd.${extra[0]}`, `"${extra[0]}" is not a field of run.systemd (fields: unit).`, fix);
    if (typeof body.unit !== 'string' || !/^[A-Za-z0-9@_.{}:-]+\.service$/.test(body.unit)) return fail(name, 'run.systemd.unit', `"unit" must name a .service unit, got ${JSON.stringify(body.unit)}.`, fix);
    return { kind: 'systemd', unit: body.unit };
  }
  const hint = didYouMean(kind, ['process', 'systemd']);
  return fail(name, `run.${kind}`, `"${kind}" is not a way to run a node (process or systemd).`, hint ? `did you mean "${hint}"?` : fix);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
