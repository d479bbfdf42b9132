// faultline.services.json: merged over the shipped defaults, overridden by <SERVICE>_BIN and
// <SERVICE>_PROTO, and every mistake reported with the file, the field, the rule and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadServiceConfigs } from '../../services/config-file.ts';
import { shippedProto } from '../../services/grpc-service/service-config.ts';
import { serviceRegistry, SHIPPED_DEFAULTS } from '../../services/index.ts';
import { emptyRoot, fakeExecutable, rootWithConfig } from './service-test-helpers.ts';

const CHAINFIRE_PROTO = fs.readFileSync(shippedProto('chainfire/chainfire.proto'), 'utf8');
const load = (root: string, env: NodeJS.ProcessEnv = {}) => loadServiceConfigs(SHIPPED_DEFAULTS, { env, root });
const file = (root: string) => `"${path.join(root, 'faultline.services.json')}"`;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe('ServiceConfigError');
    return (e as Error).message;
  }
  throw new Error('expected a ServiceConfigError');
}

test('without a file, the shipped defaults apply and no binary is configured', () => {
  const c = load(emptyRoot());
  expect(Object.keys(c)).toEqual(['etcd', 'chainfire', 'flaredb', 'plasmavmc', 'iam']);
  expect(c.chainfire.binary).toBeUndefined();
  expect(c.chainfire.variable).toBe('CHAINFIRE_BIN');
  expect(c.chainfire.proto).toEqual([shippedProto('chainfire/chainfire.proto')]);
  expect(c.chainfire.ports).toEqual(['api', 'raft', 'gossip', 'http']);
  expect(c.flaredb.operations.put).toEqual({ call: 'kvrpc.KvRaw/RawPut', request: { key: '{key}', value: '{value}', namespace: 'default' } });
});

test('the file merges over the defaults: paths relative to the file, "env" and "operations" key by key', () => {
  const root = rootWithConfig(
    {
      $comment: 'keys starting with "$" are ignored',
      chainfire: { binary: './bin/chainfire.sh', proto: 'protos/chainfire.proto', args: ['--id={index}'], env: { CHAINFIRE_TRACE: '1' } },
      flaredb: { operations: { get: { call: 'kvrpc.KvCas/Get', request: { key: '{key}', namespace: 'ns' }, value: 'value', found: 'found' } } },
    },
    { 'bin/chainfire.sh': '#!/bin/sh\n', 'protos/chainfire.proto': CHAINFIRE_PROTO },
  );
  const c = load(root);
  expect(c.chainfire.binary).toBe(path.join(root, 'bin/chainfire.sh'));
  expect(c.chainfire.proto).toEqual([path.join(root, 'protos/chainfire.proto')]);
  expect(c.chainfire.args).toEqual(['--id={index}']);
  expect(c.chainfire.env).toEqual({ RUST_LOG: 'debug', CHAINFIRE_TRACE: '1' });
  expect(c.chainfire.ports, 'untouched fields keep their defaults').toEqual(['api', 'raft', 'gossip', 'http']);
  expect(c.flaredb.operations.get!.call).toBe('kvrpc.KvCas/Get');
  expect(c.flaredb.operations.put!.call, 'other operations keep their defaults').toBe('kvrpc.KvRaw/RawPut');
  expect(c.chainfire.origins.binary).toBe(file(root));
});

test('CHAINFIRE_BIN and CHAINFIRE_PROTO override the file; FAULTLINE_SERVICES names another file', () => {
  const root = rootWithConfig({}, { 'conf/services.json': JSON.stringify({ chainfire: { binary: '/nonexistent/ignored' } }), 'p/a.proto': CHAINFIRE_PROTO });
  const bin = fakeExecutable(root, 'env-bin/chainfire');
  expect(() => load(root, { FAULTLINE_SERVICES: 'conf/services.json' }), 'the named file is read').toThrow(/no executable file at "\/nonexistent\/ignored"/);
  const c = load(root, { FAULTLINE_SERVICES: 'conf/services.json', CHAINFIRE_BIN: bin, CHAINFIRE_PROTO: `p/a.proto${path.delimiter}p/a.proto` });
  expect(c.chainfire.binary).toBe(bin);
  expect(c.chainfire.proto).toEqual([path.join(root, 'p/a.proto'), path.join(root, 'p/a.proto')]);
  expect(c.chainfire.origins).toMatchObject({ binary: 'the environment variable CHAINFIRE_BIN', proto: 'the environment variable CHAINFIRE_PROTO' });
  expect(load(root, { CHAINFIRE_BIN: '' }).chainfire.binary, 'an empty variable is unset').toBeUndefined();
});

test('an unknown service names the file and suggests the closest name', () => {
  const root = rootWithConfig({ chainfir: { binary: '/x' } });
  expect(message(() => load(root))).toBe(
    `Invalid service configuration at "chainfir" in ${file(root)}: "chainfir" is not a service configured by this file (those are "etcd", "chainfire", "flaredb", "plasmavmc", "iam").\n  Fix: did you mean "chainfire"?`,
  );
});

test('etcd is configured like every service: a user entry merges over its shipped file, and its mistakes are named the same way', () => {
  const root = rootWithConfig({ etcd: { timing: { heartbeatMs: 50, electionMs: 250 }, clients: { $comment: 'etcdctl and etcd3 stay', mine: { driver: { command: ['node', './d.mjs'] } } } } });
  const c = load(root, { PATH: process.env.PATH });
  expect(c.etcd.timing).toEqual({ heartbeatMs: 50, electionMs: 250 });
  expect(c.etcd.readiness).toEqual({ http: { port: 'client', path: '/health', body: '"health":\\s*"true"' } });
  expect(Object.keys(c.etcd.subjects)).toEqual(['etcdctl', 'etcd3', 'mine']);
  expect((c.etcd.subjects.etcd3 as { command: string[] }).command[1]).toMatch(/services\/etcd\/etcd3-driver\.mjs$/);
  expect((c.etcd.subjects.mine as { command: string[] }).command[1]).toBe(path.join(root, 'd.mjs'));
  const typo = rootWithConfig({ etcd: { args: ['--heartbeat-interval={heartbeat}'] } });
  expect(message(() => serviceRegistry({ PATH: process.env.PATH }, { root: typo }))).toContain(`Invalid service configuration at "etcd.args[0]" in ${file(typo)}: "{heartbeat}" is not a placeholder here`);
  expect(message(() => serviceRegistry({ PATH: process.env.PATH }, { root: typo }))).toContain('Fix: did you mean "{heartbeatMs}"?');
});

test('a missing .proto file is reported before anything starts, with the field index', () => {
  const root = rootWithConfig({ chainfire: { proto: ['protos/missing.proto'] } });
  expect(message(() => load(root))).toBe(
    `Invalid service configuration at "chainfire.proto[0]" in ${file(root)}: the .proto file "${path.join(root, 'protos/missing.proto')}" cannot be read.\n  Fix: point "proto" (or CHAINFIRE_PROTO) at chainfire's own .proto files, or remove it to use the shipped default.`,
  );
  expect(message(() => load(emptyRoot(), { FLAREDB_PROTO: '/nope/kvrpc.proto' }))).toBe(
    `Invalid service configuration at "flaredb.proto[0]" in the environment variable FLAREDB_PROTO: the .proto file "/nope/kvrpc.proto" cannot be read.\n  Fix: point "proto" (or FLAREDB_PROTO) at flaredb's own .proto files, or remove it to use the shipped default.`,
  );
});

test('a binary path with no executable behind it is an error, from the file or the variable', () => {
  const root = rootWithConfig({ flaredb: { binary: 'bin/flaredb-server' } });
  expect(message(() => load(root))).toBe(
    `Invalid service configuration at "flaredb.binary" in ${file(root)}: there is no executable file at "${path.join(root, 'bin/flaredb-server')}".\n  Fix: point "binary" at the flaredb executable (relative paths start from the config file's directory), or remove it and set FLAREDB_BIN.`,
  );
  expect(message(() => load(rootWithConfig({ iam: { binary: 'iam-server-not-on-path' } }), { PATH: '/usr/bin' }))).toContain('there is no executable file at "iam-server-not-on-path" (looked up on PATH).');
  expect(message(() => load(emptyRoot(), { CHAINFIRE_BIN: '/opt/chainfire/missing' }))).toBe(
    'Invalid service configuration at "chainfire.binary" in the environment variable CHAINFIRE_BIN: there is no executable file at "/opt/chainfire/missing" (CHAINFIRE_BIN=/opt/chainfire/missing).\n  Fix: fix the path in CHAINFIRE_BIN, or unset it to use "binary" from faultline.services.json.',
  );
});

test('unknown fields and wrong types name the field and the rule', () => {
  const typo = rootWithConfig({ chainfire: { protos: ['x.proto'] } });
  expect(message(() => load(typo))).toBe(
    `Invalid service configuration at "chainfire.protos" in ${file(typo)}: "protos" is not a known field (known: "binary", "proto", "protoIncludes", "ports", "clientPort", "args", "env", "peer", "pd", "readiness", "leader", "operations", "clients", "install", "byStart", "timing", "identity", "revision", "logs", "claims", "dependents", "version").\n  Fix: did you mean "proto"?`,
  );
  const type = rootWithConfig({ chainfire: { ports: 'api' } });
  expect(message(() => load(type))).toBe(`Invalid service configuration at "chainfire.ports" in ${file(type)}: must be a list of strings, got string "api".\n  Fix: write it as a JSON list, e.g. ["a", "b"].`);
  const op = rootWithConfig({ flaredb: { operations: { get: { call: 'kvrpc.KvRaw/RawGet' } } } });
  expect(message(() => load(op))).toBe(`Invalid service configuration at "flaredb.operations.get.request" in ${file(op)}: is required.\n  Fix: add "request" to flaredb.operations.get.`);
  const ready = rootWithConfig({ iam: { readiness: { http: { port: 'http', path: '/health' }, log: 'ready' } } });
  expect(message(() => load(ready))).toContain('at "iam.readiness" in');
  expect(message(() => load(ready))).toContain('must have exactly one of "http", "grpc" or "log" (got "http", "log").');
});

test('a file that is not JSON, and a FAULTLINE_SERVICES that points nowhere', () => {
  const root = rootWithConfig('{ "chainfire": { "binary": "x", } }');
  expect(message(() => load(root))).toBe(`Invalid service configuration at "(file)" in ${file(root)}: the file is not valid JSON: Expected double-quoted property name at line 1, column 33 (\`{ "chainfire": { "binary": "x", } }\`).\n  Fix: fix the JSON at that place; see docs/services.md for a whole example.`);
  const empty = emptyRoot();
  expect(message(() => load(empty, { FAULTLINE_SERVICES: 'nope.json' }))).toBe(
    `Invalid service configuration at "FAULTLINE_SERVICES" in the environment variable FAULTLINE_SERVICES: the file "${path.join(empty, 'nope.json')}" does not exist.\n  Fix: point FAULTLINE_SERVICES at your faultline.services.json, or unset it.`,
  );
});

test('templates and mappings are checked against the ports and the .proto before any process starts', () => {
  const registry = (json: unknown) => {
    const root = rootWithConfig(json);
    return { root, error: message(() => serviceRegistry({}, { root })) };
  };
  let r = registry({ chainfire: { args: ['--data-dir', '{dataDri}'] } });
  expect(r.error).toBe(
    `Invalid service configuration at "chainfire.args[1]" in ${file(r.root)}: "{dataDri}" is not a placeholder here (the placeholders are {name}, {index}, {host}, {dataDir}, {logFile}, {token}, {peers}, {otherPeers}, {pd}, {heartbeatMs}, {electionMs}, and {port.<name>} or {advertised.<name>} for each port (api, raft, gossip, http)).\n  Fix: did you mean "{dataDir}"?`,
  );
  r = registry({ iam: { args: ['--raft={port.raft}'] } });
  expect(r.error).toContain('at "iam.args[0]"');
  expect(r.error).toContain('"{port.raft}" is not a placeholder here');
  r = registry({ chainfire: { operations: { get: { call: 'chainfire.v1.KV/Get', request: { key: '{key}' }, value: 'kvs.0.value' } } } });
  expect(r.error).toBe(
    `Invalid service configuration at "chainfire.operations.get.call" in ${file(r.root)}: the RPC "chainfire.v1.KV/Get" is not in "${shippedProto('chainfire/chainfire.proto')}".\n  Fix: did you mean "chainfire.v1.KV/Put"? (RPCs are named "package.Service/Method")`,
  );
  r = registry({ flaredb: { operations: { put: { call: 'kvrpc.KvRaw/RawPut', request: { kye: '{key}', value: '{value}' } } } } });
  expect(r.error).toBe(
    `Invalid service configuration at "flaredb.operations.put.request.kye" in ${file(r.root)}: "kvrpc.RawPutRequest" (the request of "kvrpc.KvRaw/RawPut") has no field "kye" (its fields: key, value, namespace).\n  Fix: did you mean "key"?`,
  );
  r = registry({ flaredb: { operations: { get: { call: 'kvrpc.KvRaw/RawGet', request: { key: '{key}', namespace: '{value}' }, value: 'value' } } } });
  expect(r.error).toContain('at "flaredb.operations.get.request.namespace"');
  expect(r.error).toContain('"{value}" is not a placeholder here (the placeholders are {key}).');
  r = registry({ chainfire: { operations: { get: { call: 'chainfire.v1.KV/Range', request: { key: '{key}' }, value: 'kvs.value' } } } });
  expect(r.error).toBe(
    `Invalid service configuration at "chainfire.operations.get.value" in ${file(r.root)}: the path "kvs.value" does not lead through "chainfire.v1.RangeResponse" (the response of "chainfire.v1.KV/Range"): "kvs" is a repeated field: follow it with an index, e.g. "kvs.0".\n  Fix: write a dot path of field names of the response, with an index after a repeated field (e.g. "kvs.0.value").`,
  );
  r = registry({ chainfire: { leader: { call: 'chainfire.v1.Watch/Watch', isLeader: 'x' } } });
  expect(r.error).toContain('"chainfire.v1.Watch/Watch" is a streaming RPC; Faultline\'s client makes unary calls.');
  r = registry({ chainfire: { readiness: { http: { port: 'health', path: '/health' } } } });
  expect(r.error).toContain('at "chainfire.readiness.http.port"');
  expect(r.error).toContain('"health" is not one of the service\'s ports ("api", "raft", "gossip", "http").');
});

test('a .proto file that does not parse is a configuration error naming the file', () => {
  const root = rootWithConfig({ chainfire: { proto: 'bad.proto' } }, { 'bad.proto': 'syntax = "proto3";\nmessage {' });
  const error = message(() => serviceRegistry({}, { root }));
  expect(error).toContain(`Invalid service configuration at "chainfire.proto" in ${file(root)}: the .proto files "${path.join(root, 'bad.proto')}" do not load:`);
  expect(error).toContain('Fix: fix the .proto file, or add the directories its imports live in to "protoIncludes".');
});

test('"pd" is a list of host:port, or the PD service the runner starts first: each form checked before any process starts', () => {
  const registry = (json: unknown) => {
    const root = rootWithConfig(json);
    return { root, error: message(() => serviceRegistry({}, { root })) };
  };
  let r = registry({ flaredb: { pd: { service: 'chainfir' } } });
  expect(r.error).toBe(
    `Invalid service configuration at "flaredb.pd.service" in ${file(r.root)}: the PD service must be another known service (etcd, chainfire, plasmavmc, iam), got "chainfir".\n  Fix: did you mean "chainfire"?`,
  );
  r = registry({ flaredb: { pd: { service: 'flaredb' } } });
  expect(r.error).toContain('the PD service must be another known service');
  r = registry({ flaredb: { pd: { service: 'chainfire', nodes: 12 } } });
  expect(r.error).toContain('at "flaredb.pd.nodes"');
  expect(r.error).toContain('a PD cluster has 1 to 9 nodes, got 12.');
  r = registry({ flaredb: { pd: { service: 'chainfire', size: 3 } } });
  expect(r.error).toContain('at "flaredb.pd.size"');
  r = registry({ flaredb: { pd: ['127.0.0.1'] } });
  expect(r.error).toContain('at "flaredb.pd[0]"');
  expect(r.error).toContain('a PD endpoint is "host:port", got "127.0.0.1".');
  // The shipped default: FlareDB's PD is a one-node ChainFire the runner starts first.
  expect(serviceRegistry({}, { root: rootWithConfig({}) }).flaredb.pdService).toEqual({ service: 'chainfire', nodes: 1 });
  expect(serviceRegistry({}, { root: rootWithConfig({ flaredb: { pd: ['127.0.0.1:2379'] } }) }).flaredb.pdService).toBeUndefined();
});

test('PD services that form a cycle, and a PD service the launch never uses, are refused at load', () => {
  const root = rootWithConfig({ chainfire: { pd: { service: 'flaredb' }, args: ['--pd', '{pd}', '--data-dir', '{dataDir}'] } });
  expect(message(() => serviceRegistry({}, { root }))).toBe(
    `Invalid service configuration at "flaredb.pd.service" in the shipped defaults of "flaredb": the PD services form a cycle (chainfire → flaredb → chainfire): the runner would start PDs forever.\n  Fix: give one of them a fixed list of endpoints (e.g. "pd": ["127.0.0.1:2379"]) or "pd": [] if it needs no PD.`,
  );
  const unused = rootWithConfig({ flaredb: { args: ['--data-dir', '{dataDir}', '--addr', '{host}:{port.api}'] } });
  const error = message(() => serviceRegistry({}, { root: unused }));
  expect(error).toContain('at "flaredb.pd.service"');
  expect(error).toContain('"pd" names chainfire as the PD to start, but the launch template ("args", "env") never uses {pd}');
  expect(serviceRegistry({}, { root: rootWithConfig({ flaredb: { pd: [], args: ['--data-dir', '{dataDir}'] } }) }).flaredb.pdService).toBeUndefined();
});
