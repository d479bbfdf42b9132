// IAM's configured client against its wire fixture: the stand-in PolicyStore mapping and /health.
import { test, expect } from '@playwright/test';
import { iamService } from '../../services/iam.ts';
import { startIamWireFixture } from '../fixtures/grpc-fixtures/iam-wire-fixture.ts';
import { nodeSpec, shippedConfigs } from './service-test-helpers.ts';

test('put, get, delete and a missing key go over iam.v1.PolicyStore with name and document', async () => {
  const fixture = await startIamWireFixture();
  const service = iamService(shippedConfigs().iam);
  const client = service.createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'admins', value: '{"allow":"*"}' }, at, 2000);
    expect(fixture.policies.get('admins')).toBe('{"allow":"*"}');
    expect(await client.attempt({ op: 'get', key: 'admins' }, at, 2000)).toBe('{"allow":"*"}');
    await client.attempt({ op: 'delete', key: 'admins' }, at, 2000);
    expect(await client.attempt({ op: 'get', key: 'admins' }, at, 2000)).toBeNull();
    expect(fixture.received.map((r) => [r.call, r.request])).toEqual([
      ['iam.v1.PolicyStore/PutPolicy', { name: 'admins', document: '{"allow":"*"}' }],
      ['iam.v1.PolicyStore/GetPolicy', { name: 'admins' }],
      ['iam.v1.PolicyStore/DeletePolicy', { name: 'admins' }],
      ['iam.v1.PolicyStore/GetPolicy', { name: 'admins' }],
    ]);
    expect((await service.probe(nodeSpec(1, { api: fixture.port, http: fixture.httpPort }))).ready).toBe(true);
    expect(await service.findLeader([nodeSpec(1, { api: fixture.port, http: fixture.httpPort })])).toBeUndefined();
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('readiness through the stand-in Health/Check when configured as a gRPC probe', async () => {
  const fixture = await startIamWireFixture();
  try {
    const service = iamService({ ...shippedConfigs().iam, readiness: { grpc: { call: 'iam.v1.Health/Check', request: { service: 'iam' } } } });
    expect(await service.probe(nodeSpec(1, { api: fixture.port, http: fixture.httpPort }))).toEqual({ ready: true, detail: `"iam.v1.Health/Check" at ${fixture.address} → OK` });
    expect(fixture.received).toEqual([{ call: 'iam.v1.Health/Check', request: { service: 'iam' } }]);
  } finally {
    await fixture.stop();
  }
});
