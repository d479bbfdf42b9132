// The configurations shown in docs/services.md are valid: parsed from the page, pointed at copies of
// the shipped .proto files and stand-in executables at its relative paths, and loaded by the registry.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { SERVICE_FIELDS, shippedProto } from '../../services/grpc-service/service-config.ts';
import { serviceRegistry } from '../../services/index.ts';
import { clusterSpec, emptyRoot, fakeExecutable, nodeSpec } from './service-test-helpers.ts';

test('the faultline.services.json of docs/services.md loads, and FlareDB gets ChainFire as PD', () => {
  const page = fs.readFileSync(path.join(import.meta.dirname, '../../docs/services.md'), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(page)![1]!;
  const config = JSON.parse(json);
  const root = emptyRoot();
  const project = path.join(root, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'faultline.services.json'), json);
  for (const [name, shipped] of [['chainfire', 'chainfire/chainfire.proto'], ['flaredb', 'flaredb/kvrpc.proto']] as const) {
    fakeExecutable(project, config[name].binary);
    const proto = path.join(project, config[name].proto[0]);
    fs.mkdirSync(path.dirname(proto), { recursive: true });
    fs.copyFileSync(shippedProto(shipped), proto);
  }
  fs.mkdirSync(path.join(project, config.chainfire.protoIncludes[0]), { recursive: true });

  const services = serviceRegistry({}, { root: project });
  expect(services.chainfire.unavailable()).toBeUndefined();
  expect(services.flaredb.unavailable()).toBeUndefined();
  // FlareDB names ChainFire as its PD: the runner starts one first and hands its endpoints to {pd}.
  expect(services.flaredb.pdService).toEqual({ service: 'chainfire', nodes: 1 });
  const nodes = [nodeSpec(1, { api: 1, raft: 2, http: 3 })];
  expect(services.flaredb.launch(nodes[0]!, { ...clusterSpec(nodes), pd: ['127.0.0.1:45010'] }).args).toContain('127.0.0.1:45010');
});

test('the clients example of docs/services.md loads: a ChainFire command client and an IAM driver, with their claims', () => {
  const page = fs.readFileSync(path.join(import.meta.dirname, '../../docs/services.md'), 'utf8');
  const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const json = blocks.find((b) => b.includes('"clients"'))!;
  const project = emptyRoot();
  fs.writeFileSync(path.join(project, 'faultline.services.json'), json);
  const services = serviceRegistry({ PATH: '/nonexistent' }, { root: project });
  const cli = services.chainfire.clientsUnderTest!['chainfire-cli']!;
  expect(cli.kind).toBe('command');
  expect(cli.claims.retry).toMatchObject({ retries: 3, initialMs: 500, multiplier: 2, maxMs: 30_000 });
  expect(cli.claims.watch?.resumes).toBe(false);
  // Not installed here: a skip reason for the scenarios that need it, not an error.
  expect(cli.unavailable).toContain('"chainfire-cli"');
  expect(services.iam.clientsUnderTest!['iam-client']!.claims.retry?.retries).toBe(0);
  // "binaryVariable" replaces "binary" when set.
  const withVariable = serviceRegistry({ PATH: '/nonexistent', CHAINFIRE_CLI_BIN: '/opt/chainfire/cli' }, { root: project });
  expect((withVariable.chainfire.clientsUnderTest!['chainfire-cli'] as { command: string }).command).toBe('/opt/chainfire/cli');
});

test('every field of the configuration format is documented in docs/services.md', () => {
  const page = fs.readFileSync(path.join(import.meta.dirname, '../../docs/services.md'), 'utf8');
  const undocumented = [...SERVICE_FIELDS, 'binaryVariable', 'attemptLine', 'notSent', 'atMostEvery', 'series'].filter((f) => !page.includes(`| \`${f}\``) && !page.includes(`\`${f}\`?`) && !page.includes(`\`${f}\` (`));
  expect(undocumented).toEqual([]);
});

test("etcd's shipped definition is a configuration file in the same format, loaded by the same loader", () => {
  const shipped = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../services/etcd/etcd.service.json'), 'utf8'));
  for (const k of Object.keys(shipped).filter((k) => !k.startsWith('$'))) expect(SERVICE_FIELDS).toContain(k);
  const project = emptyRoot();
  // The same entry, as a user's faultline.services.json would write it, gives the same definition.
  fs.writeFileSync(path.join(project, 'faultline.services.json'), JSON.stringify({ etcd: { ...shipped, proto: [path.join(import.meta.dirname, '../../services/etcd', shipped.proto[0])], clients: {} } }));
  const fromFile = serviceRegistry({ PATH: process.env.PATH }, { root: project }).etcd;
  const asShipped = serviceRegistry({ PATH: process.env.PATH }, { root: emptyRoot() }).etcd;
  const nodes = [nodeSpec(1, { client: 1, peer: 2 })];
  expect(fromFile.launch(nodes[0]!, clusterSpec(nodes)).args).toEqual(asShipped.launch(nodes[0]!, clusterSpec(nodes)).args);
  expect(fromFile.claims).toEqual(asShipped.claims);
  expect(fromFile.logs).toEqual(asShipped.logs);
  expect(Object.keys(fromFile.dependents!)).toEqual(['grpc-proxy']);
});
