// How failed calls become attempts, on real sockets: an injected UNAVAILABLE and a timeout drop the
// channel (the next attempt opens a new connection); only a refused connection counts as "not sent".
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { AttemptError } from '../../runner/contract/service.ts';
import { chainfireService } from '../../services/chainfire.ts';
import { classifyGrpcError } from '../../services/grpc-attempt.ts';
import { startChainfireWireFixture } from '../fixtures/grpc-fixtures/chainfire-wire-fixture.ts';
import { shippedConfigs } from './service-test-helpers.ts';

/** A TCP relay to `port` that counts the connections made through it. */
async function countingRelay(port: number): Promise<{ address: string; connections: () => number; close: () => void }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    count++;
    const outbound = net.connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => (inbound.destroy(), outbound.destroy()));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => count,
    close: () => (server.close(), sockets.forEach((s) => s.destroy())),
  };
}

async function failure(p: Promise<unknown>): Promise<AttemptError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(AttemptError);
  return e as AttemptError;
}

test('an UNAVAILABLE answer: status kept, may have been sent, and the channel is dropped', async () => {
  const fixture = await startChainfireWireFixture();
  const relay = await countingRelay(fixture.port);
  const client = chainfireService(shippedConfigs().chainfire).createClient();
  const at = { node: 'node-1', address: relay.address };
  try {
    await client.attempt({ op: 'put', key: 'k', value: 'v' }, at, 2000);
    await client.attempt({ op: 'get', key: 'k' }, at, 2000);
    expect(relay.connections(), 'one channel for both calls').toBe(1);
    fixture.mode = 'unavailable';
    const e = await failure(client.attempt({ op: 'put', key: 'k', value: 'v2' }, at, 2000));
    expect([e.status, e.sent]).toEqual(['UNAVAILABLE', 'maybe']);
    expect(e.message).toBe(`"chainfire.v1.KV/Put" at ${relay.address}: unavailable, the request may have reached the server (wire fixture: injected UNAVAILABLE)`);
    fixture.mode = 'ok';
    expect(await client.attempt({ op: 'get', key: 'k' }, at, 2000)).toBe('v');
    expect(relay.connections(), 'the next attempt reconnected').toBe(2);
  } finally {
    client.close();
    relay.close();
    await fixture.stop();
  }
});

test('a stopped fixture refuses the connection: UNAVAILABLE, not sent', async () => {
  const fixture = await startChainfireWireFixture();
  const client = chainfireService(shippedConfigs().chainfire).createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'k', value: 'v' }, at, 2000);
    await fixture.stop();
    const first = await failure(client.attempt({ op: 'put', key: 'k', value: 'v2' }, at, 2000));
    // The open channel learns of the shutdown on this call (grpc-js: "Stream refused by server", counted as
    // maybe sent) and is dropped; from then on every attempt is refused at connect time.
    expect(first.status).toBe('UNAVAILABLE');
    const e = await failure(client.attempt({ op: 'put', key: 'k', value: 'v3' }, at, 2000));
    expect([e.status, e.sent]).toEqual(['UNAVAILABLE', 'no']);
    expect(e.message).toMatch(new RegExp(`^"chainfire.v1.KV/Put" at ${fixture.address}: connection refused, the request was not sent \\(.*ECONNREFUSED.*\\)$`));
  } finally {
    client.close();
  }
});

test('a fixture that never answers: DEADLINE_EXCEEDED at the attempt deadline, may have been applied, channel dropped', async () => {
  const fixture = await startChainfireWireFixture();
  const relay = await countingRelay(fixture.port);
  const client = chainfireService(shippedConfigs().chainfire).createClient();
  const at = { node: 'node-1', address: relay.address };
  try {
    await client.attempt({ op: 'get', key: 'k' }, at, 2000);
    fixture.mode = 'hang';
    const t = Date.now();
    const e = await failure(client.attempt({ op: 'put', key: 'k', value: 'v' }, at, 300));
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect([e.status, e.sent]).toEqual(['DEADLINE_EXCEEDED', 'maybe']);
    expect(e.message).toMatch(new RegExp(`^"chainfire.v1.KV/Put" at ${relay.address}: no answer within 300ms, the request may have been applied \\(Deadline exceeded`));
    fixture.mode = 'ok';
    await client.attempt({ op: 'get', key: 'k' }, at, 2000);
    expect(relay.connections()).toBe(2);
  } finally {
    client.close();
    relay.close();
    await fixture.stop();
  }
});

test('an RPC the server does not implement says the proto or mapping does not match the binary', async () => {
  const fixture = await startChainfireWireFixture();
  const config = shippedConfigs().chainfire;
  const client = chainfireService({ ...config, operations: { ...config.operations, delete: { call: 'chainfire.v1.KV/Txn', request: {} } } }).createClient();
  try {
    const e = await failure(client.attempt({ op: 'delete', key: 'k' }, { node: 'node-1', address: fixture.address }, 2000));
    expect([e.status, e.sent]).toEqual(['UNIMPLEMENTED', 'maybe']);
    expect(e.message).toContain(`"chainfire.v1.KV/Txn" at ${fixture.address}: the server does not implement this RPC`);
    expect(e.message).toContain('fix "proto" or "operations" in faultline.services.json');
  } finally {
    client.close();
    await fixture.stop();
  }
});

test('an operation with no mapping fails at once, unsent, with the fix', async () => {
  const config = shippedConfigs().chainfire;
  const client = chainfireService({ ...config, operations: { put: config.operations.put, get: config.operations.get } }).createClient();
  const e = await failure(client.attempt({ op: 'delete', key: 'k' }, { node: 'node-1', address: '127.0.0.1:1' }, 2000));
  expect([e.status, e.sent]).toEqual(['UNIMPLEMENTED', 'no']);
  expect(e.message).toBe('"chainfire" has no "delete" operation configured; add "operations.delete" for "chainfire" in faultline.services.json (see docs/services.md).');
});

test('the shared classification (also used by the etcd client)', () => {
  expect(classifyGrpcError({ code: 14, details: 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1' })).toEqual({ status: 'UNAVAILABLE', details: 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1', sent: 'no', dropChannel: true });
  expect(classifyGrpcError({ code: 14, details: 'Connection dropped' })).toMatchObject({ sent: 'maybe', dropChannel: true });
  expect(classifyGrpcError({ code: 4, details: 'Deadline exceeded' })).toMatchObject({ status: 'DEADLINE_EXCEEDED', sent: 'maybe', dropChannel: true });
  expect(classifyGrpcError({ code: 3, details: 'bad' })).toMatchObject({ status: 'INVALID_ARGUMENT', sent: 'maybe', dropChannel: false });
  expect(classifyGrpcError(new Error('boom'))).toMatchObject({ status: 'UNKNOWN', details: 'boom' });
});
