// The recording client against real sockets: a refused port, and a real etcd node that comes back.
import net from 'node:net';
import { test } from '../../runner/fixture.ts';
import { expect } from '@playwright/test';
import { SEED_POLICY } from '../../dsl/policy.ts';
import { faultlineExpect } from '../../runner/matchers/index.ts';
import { etcdService } from '../../services/etcd/definition.ts';

async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

test('against a refused port: 1 try + 3 retries spaced 500ms, 1s, 2s; the final error is clear', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const port = await refusedPort();
  const r = await run.execute({ op: 'put', key: 'k', value: 'v' }, 'client', [{ node: 'node-1', address: `127.0.0.1:${port}` }], SEED_POLICY);
  expect(r.outcome).toBe('fail'); // refused: certainly not applied
  expect(r.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
  faultlineExpect(r).toRetry({ min: 3, max: 3, tolerance: 0.2 }, SEED_POLICY);
  faultlineExpect(r).toFail({ message: /ECONNREFUSED/ });
  expect(r.error).toContain(`put "k" = "v" failed after 4 attempt(s)`);
  expect(r.error).toContain(`node-1@127.0.0.1:${port}`);
});

test('toRetry fails when the real spacing does not match the asked shape', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const port = await refusedPort();
  const r = await run.execute({ op: 'get', key: 'k' }, 'client', [{ node: 'node-1', address: `127.0.0.1:${port}` }], { ...SEED_POLICY, initialMs: 200, multiplier: 1 });
  expect(() => faultlineExpect(r).toRetry({ min: 3, max: 3, tolerance: 0.2, initialMs: 500, multiplier: 2 }, SEED_POLICY)).toThrow(/OUT OF RANGE/);
  expect(() => faultlineExpect(r).toRetry({ min: 2, max: 2, tolerance: 0.2 }, { ...SEED_POLICY, initialMs: 200, multiplier: 1 })).toThrow(/count wrong/);
  faultlineExpect(r).toRetry({ min: 3, max: 3, tolerance: 0.2 }, { ...SEED_POLICY, initialMs: 200, multiplier: 1 });
});

test('a write that times out against a frozen node is recorded as indeterminate (info), not failed', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 1 });
  cluster.pause('node-1');
  const policy = { ...SEED_POLICY, retries: 1, initialMs: 100, attemptTimeoutMs: 300 };
  const r = await run.execute({ op: 'put', key: 'k', value: 'v' }, 'client', [cluster.endpoint('node-1')], policy);
  cluster.resume('node-1');
  expect(r.attempts.map((a) => a.status)).toEqual(['DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED']);
  expect(r.outcome).toBe('info');
  expect(r.error).toContain('outcome unknown: the request may have been applied');
});
