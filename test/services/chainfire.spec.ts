// ChainFire's configured client against its wire fixture: every mapped RPC with its fields, a
// missing key, leader discovery through Cluster/Status, and readiness by HTTP and by gRPC.
import { test, expect } from '@playwright/test';
import { chainfireService } from '../../services/chainfire.ts';
import { startChainfireWireFixture } from '../fixtures/grpc-fixtures/chainfire-wire-fixture.ts';
import { nodeSpec, shippedConfigs } from './service-test-helpers.ts';

test('put, get, delete and a missing key go over chainfire.v1.KV with the mapped fields', async () => {
  const fixture = await startChainfireWireFixture();
  const client = chainfireService(shippedConfigs().chainfire).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    expect(await client.attempt({ op: 'put', key: 'k', value: 'v1' }, at, 2000)).toBeUndefined();
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBe('v1');
    expect(await client.attempt({ op: 'delete', key: 'k' }, at, 2000)).toBeUndefined();
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBeNull();
    expect(await client.attempt({ op: 'get', key: 'never-written' }, at, 2000)).toBeNull();
    expect(fixture.received.map((r) => r.call)).toEqual(['chainfire.v1.KV/Put', 'chainfire.v1.KV/Range', 'chainfire.v1.KV/Delete', 'chainfire.v1.KV/Range', 'chainfire.v1.KV/Range']);
    expect(fixture.received[0]!.request).toMatchObject({ key: 'k', value: 'v1' });
    expect(fixture.received[1]!.request).toMatchObject({ key: 'k', range_end: '' });
    expect(fixture.received[2]!.request).toMatchObject({ key: 'k' });
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('keys and values are sent as UTF-8 bytes, not base64-decoded', async () => {
  const fixture = await startChainfireWireFixture();
  const client = chainfireService(shippedConfigs().chainfire).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'ключ/1', value: 'hello world' }, at, 2000);
    expect([...fixture.data.values()].map((b) => b.toString('utf8'))).toEqual(['hello world']);
    expect(await client.attempt({ op: 'get', key: 'ключ/1' }, at, 2000)).toBe('hello world');
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('findLeader asks every node Cluster/Status and picks the one whose member id is the leader id', async () => {
  const fixtures = await Promise.all(['11', '12', '13'].map((id) => startChainfireWireFixture({ memberId: id, leaderId: '12' })));
  const service = chainfireService(shippedConfigs().chainfire);
  const nodes = fixtures.map((f, i) => nodeSpec(i + 1, { api: f.port, raft: 1, gossip: 2, http: f.httpPort }));
  try {
    expect(await service.findLeader(nodes)).toBe('node-2');
    expect(fixtures.every((f) => f.received.some((r) => r.call === 'chainfire.v1.Cluster/Status'))).toBe(true);
    await fixtures[1]!.stop();
    expect(await service.findLeader(nodes), 'nobody else claims to lead').toBeUndefined();
  } finally {
    await Promise.all(fixtures.map((f) => f.stop()));
  }
});

test('a member that reports no leader (0) is not taken for the leader', async () => {
  const fixture = await startChainfireWireFixture({ memberId: '5', leaderId: '0' });
  try {
    expect(await chainfireService(shippedConfigs().chainfire).findLeader([nodeSpec(1, { api: fixture.port, raft: 1, gossip: 2, http: fixture.httpPort })])).toBeUndefined();
  } finally {
    await fixture.stop();
  }
});

test('readiness: GET /health on the "http" port by default; a gRPC call when configured so', async () => {
  const fixture = await startChainfireWireFixture();
  const node = nodeSpec(1, { api: fixture.port, raft: 1, gossip: 2, http: fixture.httpPort });
  try {
    expect(await chainfireService(shippedConfigs().chainfire).probe(node)).toEqual({ ready: true, detail: `GET http://127.0.0.1:${fixture.httpPort}/health → 200 {"status":"ok"}` });
    const viaGrpc = chainfireService({ ...shippedConfigs().chainfire, readiness: { grpc: { call: 'chainfire.v1.Cluster/Status' } } });
    expect(await viaGrpc.probe(node)).toEqual({ ready: true, detail: `"chainfire.v1.Cluster/Status" at ${fixture.address} → OK` });
    await fixture.stop();
    const down = await viaGrpc.probe(node);
    expect(down.ready).toBe(false);
    expect(down.detail).toContain('connection refused');
    expect((await chainfireService(shippedConfigs().chainfire).probe(node)).detail).toMatch(/ECONNREFUSED/);
  } finally {
    await fixture.stop();
  }
});
