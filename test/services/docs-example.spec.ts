// The whole configuration shown in docs/services.md is valid: parsed from the page, pointed at copies of
// the shipped .proto files and stand-in executables at its relative paths, and loaded by the registry.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { shippedProto } from '../../services/grpc-service/service-config.ts';
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
