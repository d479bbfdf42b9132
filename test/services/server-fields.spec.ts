// The fields etcd's move to configuration added (claims, logs, identity, byStart, timing, dependents):
// each mistake is an error naming the file, the field, the rule and the fix, before any process starts.
import { test, expect } from '@playwright/test';
import { ServiceConfigError } from '../../services/grpc-service/service-config.ts';
import { serviceRegistry } from '../../services/index.ts';
import { rootWithConfig } from './service-test-helpers.ts';

/** The error a configuration gets from the registry, as a ServiceConfigError. */
function refused(json: unknown): ServiceConfigError {
  const root = rootWithConfig(json);
  try {
    serviceRegistry({ PATH: process.env.PATH }, { root });
  } catch (e) {
    if (e instanceof ServiceConfigError) return e;
    throw e;
  }
  throw new ServiceConfigError('(test)', '(none)', 'expected a ServiceConfigError', 'fix the test');
}

const peer = { what: 'Raft client', source: 'raft_client.rs: RetryConfig::default()', initial: '500ms', multiplier: 2, max: '30s', retries: 3 };

test('a claim with a duration without unit, or a cap below its first pause, names the claim field', () => {
  let e = refused({ chainfire: { claims: { peer: { ...peer, initial: '500' } } } });
  expect(e.field).toBe('chainfire.claims.peer.initial');
  expect(e.message).toContain('Fix:');
  e = refused({ chainfire: { claims: { peer: { ...peer, max: '100ms' } } } });
  expect(e.field).toBe('chainfire.claims.peer.max');
  expect(e.rule).toContain('shorter than the first');
  e = refused({ chainfire: { claims: { peer: { ...peer, retries: 'forever' } } } });
  expect(e.field).toBe('chainfire.claims.peer.retries');
});

test('byStart may not shadow a placeholder Faultline fills; {heartbeatMs} needs "timing"', () => {
  let e = refused({ iam: { byStart: { token: { first: 'a', restart: 'b' } } } });
  expect(e.field).toBe('iam.byStart.token');
  expect(e.rule).toContain('a placeholder Faultline fills');
  e = refused({ iam: { args: ['--heartbeat={heartbeatMs}'] } });
  expect(e.field).toBe('iam.timing');
  expect(e.fix).toContain('"timing": { "heartbeatMs": 100, "electionMs": 1000 }');
  // With both, the template expands per start.
  const root = rootWithConfig({ iam: { args: ['--state={state}', '--hb={heartbeatMs}'], byStart: { state: { first: 'new', restart: 'existing' } }, timing: { heartbeatMs: 50, electionMs: 500 } } });
  const iam = serviceRegistry({ PATH: process.env.PATH, IAM_BIN: '/bin/true' }, { root }).iam;
  const node = { name: 'node-1', index: 1, dataDir: '/d', logFile: '/l', ports: { api: 1, http: 2 } };
  expect(iam.launch(node, { token: 't', nodes: [node] }).args).toEqual(['--state=new', '--hb=50']);
  expect(iam.launch(node, { token: 't', nodes: [node], heartbeatMs: 20 }, { restart: true }).args).toEqual(['--state=existing', '--hb=20']);
});

test('identity, revision and logs are checked against the .proto and as regexes', () => {
  let e = refused({ etcd: { identity: { call: 'etcdserverpb.Maintenance/Status' } } });
  expect(e.field).toBe('etcd.identity');
  e = refused({ etcd: { identity: { call: 'etcdserverpb.Maintenance/Status', cluster: 'header.clusterid' } } });
  expect(e.field).toBe('etcd.identity.cluster');
  expect(e.rule).toContain('has no field "clusterid"');
  e = refused({ etcd: { revision: { call: 'etcdserverpb.Maintenance/Stat', value: 'header.revision' } } });
  expect(e.field).toBe('etcd.revision.call');
  expect(e.fix).toContain('did you mean "etcdserverpb.Maintenance/Status"?');
  e = refused({ etcd: { logs: { timestamp: { pattern: '"ts":"([^"]+)"', format: 'iso8601' }, retry: 'dial (stream' } } });
  expect(e.field).toBe('etcd.logs.retry');
  expect(e.rule).toContain('is not a regular expression');
});

test('a dependent names its own placeholders, ports and readiness; comments ("$…") are allowed at any depth', () => {
  const proxy = { $why: 'a comment', ports: ['client'], clientPort: 'client', args: ['start', '--endpoints={memebers}'], readiness: { grpc: { call: 'etcdserverpb.KV/Range' } } };
  let e = refused({ etcd: { dependents: { 'my-proxy': proxy } } });
  expect(e.field).toBe('etcd.dependents.my-proxy.args[1]');
  expect(e.rule).toContain('"{memebers}" is not a placeholder here');
  e = refused({ etcd: { dependents: { 'my-proxy': { ...proxy, args: ['--endpoints={members}'], clientPort: 'api' } } } });
  expect(e.field).toBe('etcd.dependents.my-proxy.clientPort');
  const root = rootWithConfig({ etcd: { dependents: { 'my-proxy': { ...proxy, args: ['--endpoints={members}'], claims: { reconnect: { ...peer, retries: 'unbounded' } } } } } });
  const etcd = serviceRegistry({ PATH: process.env.PATH }, { root }).etcd;
  // Merged kind by kind: the shipped grpc-proxy stays.
  expect(Object.keys(etcd.dependents!).sort()).toEqual(['grpc-proxy', 'my-proxy']);
  expect(etcd.dependents!['my-proxy']!.claims?.reconnect).toMatchObject({ initialMs: 500, multiplier: 2, maxMs: 30_000, retries: 'unbounded' });
});
