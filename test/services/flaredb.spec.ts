// FlareDB's configured client against its wire fixture: KvRaw with key, value and namespace, a missing
// key via "found", and a user mapping onto KvCas proving the mapping is configuration, not code.
import { test, expect } from '@playwright/test';
import { flaredbService } from '../../services/flaredb.ts';
import { startFlaredbWireFixture } from '../fixtures/grpc-fixtures/flaredb-wire-fixture.ts';
import { shippedConfigs } from './service-test-helpers.ts';

test('put, get, delete and a missing key go over kvrpc.KvRaw with key, value and namespace', async () => {
  const fixture = await startFlaredbWireFixture();
  const client = flaredbService(shippedConfigs().flaredb).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    expect(await client.attempt({ op: 'put', key: 'k', value: 'v1' }, at, 2000)).toBeUndefined();
    expect(fixture.data.get('default/k')?.value.toString()).toBe('v1');
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBe('v1');
    expect(await client.attempt({ op: 'delete', key: 'k' }, at, 2000)).toBeUndefined();
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBeNull();
    expect(fixture.received.map((r) => [r.call, r.request])).toEqual([
      ['kvrpc.KvRaw/RawPut', { key: 'k', value: 'v1', namespace: 'default' }],
      ['kvrpc.KvRaw/RawGet', { key: 'k', namespace: 'default' }],
      ['kvrpc.KvRaw/RawDelete', { key: 'k', namespace: 'default' }],
      ['kvrpc.KvRaw/RawGet', { key: 'k', namespace: 'default' }],
    ]);
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('an empty value is a found value, not a missing key', async () => {
  const fixture = await startFlaredbWireFixture();
  const client = flaredbService(shippedConfigs().flaredb).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'empty', value: '' }, at, 2000);
    expect(await client.attempt({ op: 'get', key: 'empty' }, at, 2000)).toBe('');
    expect(await client.attempt({ op: 'get', key: 'absent' }, at, 2000)).toBeNull();
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('a server error is an attempt error with its status, naming the RPC', async () => {
  const fixture = await startFlaredbWireFixture();
  const config = shippedConfigs().flaredb;
  const client = flaredbService({ ...config, operations: { ...config.operations, get: { call: 'kvrpc.KvRaw/RawGet', request: { key: '{key}' }, value: 'value', found: 'found' } } }).createClient();
  try {
    await expect(client.attempt({ op: 'get', key: 'k' }, { node: 'node-1', address: fixture.address }, 2000)).rejects.toMatchObject({
      status: 'INVALID_ARGUMENT',
      sent: 'maybe',
      message: `"kvrpc.KvRaw/RawGet" at ${fixture.address}: INVALID_ARGUMENT (wire fixture: namespace is required)`,
    });
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('the mapping is configuration: get through kvrpc.KvCas/Get, delete through KvCas/Delete', async () => {
  const fixture = await startFlaredbWireFixture();
  const config = shippedConfigs().flaredb;
  const client = flaredbService({
    ...config,
    operations: {
      put: config.operations.put,
      get: { call: 'kvrpc.KvCas/Get', request: { key: '{key}', namespace: 'tenant-a' }, value: 'value', found: 'found' },
      delete: { call: 'kvrpc.KvCas/Delete', request: { key: '{key}', namespace: 'tenant-a' } },
    },
  }).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'k', value: 'v' }, at, 2000);
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000), 'written in "default", read in "tenant-a"').toBeNull();
    fixture.data.set('tenant-a/k', { value: Buffer.from('cas-value'), version: 3 });
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBe('cas-value');
    await client.attempt({ op: 'delete', key: 'k' }, at, 2000);
    expect(fixture.data.has('tenant-a/k')).toBe(false);
    expect(fixture.received.map((r) => r.call)).toEqual(['kvrpc.KvRaw/RawPut', 'kvrpc.KvCas/Get', 'kvrpc.KvCas/Get', 'kvrpc.KvCas/Delete']);
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('FlareDB has no leader RPC: findLeader answers undefined without calling anything', async () => {
  expect(await flaredbService(shippedConfigs().flaredb).findLeader([])).toBeUndefined();
});
