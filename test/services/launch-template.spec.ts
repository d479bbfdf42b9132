// Launch templates: every placeholder expanded per node, peers as name=host:port, PD endpoints from
// the config or from the runner, and a launch that cannot work refused with the fix.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { chainfireService } from '../../services/chainfire.ts';
import { flaredbService } from '../../services/flaredb.ts';
import { grpcService } from '../../services/grpc-service/definition.ts';
import { clusterSpec, emptyRoot, fakeExecutable, nodeSpec, shippedConfigs } from './service-test-helpers.ts';

const chainfireNodes = [1, 2, 3].map((i) => nodeSpec(i, { api: 45000 + i * 10, raft: 45001 + i * 10, gossip: 45002 + i * 10, http: 45003 + i * 10 }, '/run'));

test('ChainFire: node id, ports, data dir and the peer list of the whole cluster', () => {
  const bin = fakeExecutable(emptyRoot());
  const service = chainfireService(shippedConfigs({ CHAINFIRE_BIN: bin }).chainfire);
  expect(service.portNames).toEqual(['api', 'raft', 'gossip', 'http']);
  expect(service.launch(chainfireNodes[1]!, clusterSpec(chainfireNodes))).toEqual({
    command: bin,
    args: [
      '--node-id', '2',
      '--name', 'node-2',
      '--data-dir', '/run/node-2.data',
      '--api-addr', '127.0.0.1:45020',
      '--raft-addr', '127.0.0.1:45021',
      '--gossip-addr', '127.0.0.1:45022',
      '--http-addr', '127.0.0.1:45023',
      '--initial-cluster', 'node-1=127.0.0.1:45011,node-2=127.0.0.1:45021,node-3=127.0.0.1:45031',
    ],
    env: { RUST_LOG: 'debug' },
  });
  expect(service.endpoint(chainfireNodes[1]!)).toEqual({ node: 'node-2', address: '127.0.0.1:45020' });
});

test('every placeholder, in args and env, with a custom peer template', () => {
  const bin = fakeExecutable(emptyRoot());
  const config = shippedConfigs({ CHAINFIRE_BIN: bin }).chainfire;
  const service = grpcService({
    ...config,
    args: ['{name}', '{index}', '{host}', '{dataDir}', '{logFile}', '{token}', '{peers}', '{otherPeers}', 'http://{host}:{port.http}/x'],
    env: { RUST_LOG: 'debug', DATA: '{dataDir}/db', PEERS: '{otherPeers}' },
    peer: '{index}@{host}:{port.gossip}',
  });
  expect(service.launch(chainfireNodes[0]!, clusterSpec(chainfireNodes))).toEqual({
    command: bin,
    args: ['node-1', '1', '127.0.0.1', '/run/node-1.data', '/run/node-1.log', 'faultline-test-token', '1@127.0.0.1:45012,2@127.0.0.1:45022,3@127.0.0.1:45032', '2@127.0.0.1:45022,3@127.0.0.1:45032', 'http://127.0.0.1:45013/x'],
    env: { RUST_LOG: 'debug', DATA: '/run/node-1.data/db', PEERS: '2@127.0.0.1:45022,3@127.0.0.1:45032' },
  });
});

test('FlareDB: {pd} from the configured list, or from the runner (e.g. a started ChainFire)', () => {
  const bin = fakeExecutable(emptyRoot());
  const nodes = [1, 2].map((i) => nodeSpec(i, { api: 46000 + i, raft: 46100 + i, http: 46200 + i }, '/run'));
  const config = shippedConfigs({ FLAREDB_BIN: bin }).flaredb;
  const fromConfig = flaredbService({ ...config, pd: ['127.0.0.1:2379', '127.0.0.1:3379'] }).launch(nodes[0]!, clusterSpec(nodes));
  expect(fromConfig.args).toEqual([
    '--store-id', '1',
    '--data-dir', '/run/node-1.data',
    '--addr', '127.0.0.1:46001',
    '--raft-addr', '127.0.0.1:46101',
    '--http-addr', '127.0.0.1:46201',
    '--peers', '1=127.0.0.1:46101,2=127.0.0.1:46102',
    '--pd-endpoints', '127.0.0.1:2379,127.0.0.1:3379',
  ]);
  const fromRunner = flaredbService({ ...config, pd: ['127.0.0.1:2379'] }).launch(nodes[1]!, { ...clusterSpec(nodes), pd: ['127.0.0.1:45010', '127.0.0.1:45020'] });
  expect(fromRunner.args.slice(-2)).toEqual(['--pd-endpoints', '127.0.0.1:45010,127.0.0.1:45020']);
  // A node's own PD proxies (named PD links) win over the cluster's list.
  const perNode = flaredbService(config).launch({ ...nodes[1]!, pd: ['127.0.0.1:46001'] }, { ...clusterSpec(nodes), pd: ['127.0.0.1:45010'] });
  expect(perNode.args.slice(-2)).toEqual(['--pd-endpoints', '127.0.0.1:46001']);
});

test('FlareDB without PD endpoints is refused at launch with the fix', () => {
  const bin = fakeExecutable(emptyRoot());
  const nodes = [nodeSpec(1, { api: 1, raft: 2, http: 3 })];
  expect(() => flaredbService(shippedConfigs({ FLAREDB_BIN: bin }).flaredb).launch(nodes[0]!, clusterSpec(nodes))).toThrow(
    'Invalid service configuration at "flaredb.args" in the shipped defaults of "flaredb": the launch template uses {pd}, but no PD endpoints are known for "flaredb".\n  Fix: set "pd" for "flaredb" in faultline.services.json (a list like ["127.0.0.1:2379"], or { "service": "chainfire" } to have the runner start one), or start it with a PD cluster.',
  );
});

test('a service with no binary refuses to launch with its reason: never a stand-in process', () => {
  const nodes = [nodeSpec(1, { api: 1, http: 2 })];
  expect(() => shippedConfigsService('iam').launch(nodes[0]!, clusterSpec(nodes))).toThrow('iam binary not configured (set IAM_BIN)');
});

test('the shipped launch templates only use placeholders their services can fill', () => {
  // Built without error = every template, port name, RPC and field path checked against the shipped .proto.
  const configs = shippedConfigs();
  for (const c of Object.values(configs)) expect(() => grpcService(c)).not.toThrow();
  // The seed's services ship reconstructed .proto files; etcd's is a subset of etcd's own rpc.proto.
  for (const c of Object.values(configs)) for (const p of c.proto) if (c.name !== 'etcd') expect(fs.readFileSync(p, 'utf8')).toContain('RECONSTRUCTED, NOT THE PLATFORM\'S FILE');
  expect(path.basename(configs.flaredb.proto[0]!)).toBe('kvrpc.proto');
});

function shippedConfigsService(name: 'iam') {
  return grpcService(shippedConfigs()[name]);
}
