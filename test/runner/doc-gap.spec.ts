// The DOC-GAP classifier on real error objects and real records: attempts made by the recording client
// against real sockets (a refused port, a frozen server, a gRPC server without the RPC, one that rejects
// the request), ExpectErrors thrown by Faultline's own matchers, and the runner's error classes.
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { ScenarioError } from '../../dsl/errors.ts';
import { SEED_POLICY } from '../../dsl/policy.ts';
import { startClock } from '../../runner/clock.ts';
import { classifyDocGapFailure, docGapAnnotation, FAULTLINE_MATCHERS, readDocGapAnnotation, type DocGapEvidence } from '../../runner/doc-gap.ts';
import { EnvironmentError, NodeProcessError, OperationError, ReadinessTimeoutError } from '../../runner/errors.ts';
import type { OpRecord } from '../../runner/history.ts';
import { faultlineExpect } from '../../runner/matchers/index.ts';
import { runOperation } from '../../runner/operation.ts';
import type { KvOperation, ServiceClient } from '../../runner/service.ts';
import type { WatchRecording } from '../../runner/watch/watch-record.ts';
import type { WatchCheck } from '../../runner/watch/watch-guarantees.ts';
import { WatchClientError } from '../../runner/watch/watch-client-error.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import { grpcService } from '../../services/grpc-service/definition.ts';
import { ServiceConfigError, shippedProto } from '../../services/grpc-service/service-config.ts';
import { startWireFixture, type WireFixture } from '../fixtures/grpc-fixtures/wire-fixture.ts';
import { shippedConfigs } from '../services/service-test-helpers.ts';

const POLICY = { ...SEED_POLICY, retries: 2, initialMs: 50, attemptTimeoutMs: 500 };
const PUT: KvOperation = { op: 'put', key: 'k', value: 'v2' };

/** One operation through a real client, recorded exactly as a run records it. */
async function record(client: ServiceClient, address: string, op: KvOperation = PUT): Promise<OpRecord> {
  try {
    return await runOperation(op, { id: 1, process: 'client(node-1)', clock: startClock(), client, endpoints: [{ node: 'node-1', address }], policy: POLICY });
  } finally {
    client.close();
  }
}

async function refusedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return `127.0.0.1:${port}`;
}

/** The stand-in IAM .proto served by a server that implements only Health, like a binary behind a wrong .proto. */
async function iamFixture(handlers: Record<string, (req: unknown) => object> = {}): Promise<WireFixture> {
  return startWireFixture(shippedProto('iam/iam.proto'), { 'iam.v1.Health/Check': () => ({ status: 'SERVING' }), ...handlers });
}

const iamClient = (operations?: object) => {
  const config = shippedConfigs().iam;
  return grpcService(operations ? { ...config, operations } : config).createClient();
};

/** What a function threw (a matcher failure is Playwright's own ExpectError). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const evidence = (history: OpRecord[], watches: WatchRecording[] = []): DocGapEvidence => ({ history, watches, links: [] });

test('a toSucceed that failed against a refused port (a killed node): UNAVAILABLE ECONNREFUSED confirms the gap', async () => {
  const r = await record(etcdService().createClient(), await refusedPort());
  expect(r.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
  const e = thrown(() => faultlineExpect(r).toSucceed());
  expect(e).toHaveProperty('matcherResult.name', 'toSucceed');
  const v = classifyDocGapFailure(e, evidence([r]));
  expect(v.confirmed).toBe(true);
  expect(v.why).toMatch(/^put "k" \(op 1, client\(node-1\)\) attempt #1 to node-1@127\.0\.0\.1:\d+: UNAVAILABLE .*ECONNREFUSED.* \(and 2 more connectivity failure\(s\)\)$/);
});

test('a frozen server (no answer in time): DEADLINE_EXCEEDED confirms the gap, for toRetry too', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/PutPolicy': () => ({}) });
  fixture.mode = 'hang';
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED']);
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(r).toRetry({ min: 5, max: 5, tolerance: 0.2 }, POLICY)), evidence([r])).confirmed).toBe(true);
  } finally {
    await fixture.stop();
  }
});

test('a wrong .proto (the server does not implement the RPC): UNIMPLEMENTED is another reason', async () => {
  const fixture = await iamFixture();
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['UNIMPLEMENTED']);
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(r).toSucceed()), evidence([r]));
    expect(v.confirmed).toBe(false);
    expect(v.why).toContain('attempt #1 to node-1@');
    expect(v.why).toContain(': UNIMPLEMENTED "iam.v1.PolicyStore/PutPolicy"');
    expect(v.why).toMatch(/ — not a connectivity failure$/);
  } finally {
    await fixture.stop();
  }
});

test('a request the server rejects (INVALID_ARGUMENT) and an unmapped operation are other reasons', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/PutPolicy': () => { throw { code: 3, details: 'name is not provided' }; } });
  try {
    const rejected = await record(iamClient(), fixture.address);
    expect(rejected.attempts.map((a) => a.status)).toEqual(['INVALID_ARGUMENT']);
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(rejected).toSucceed()), evidence([rejected])).why).toContain('INVALID_ARGUMENT');
    const unmapped = await record(iamClient({ put: shippedConfigs().iam.operations.put }), fixture.address, { op: 'delete', key: 'k' });
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(unmapped).toSucceed()), evidence([unmapped]));
    expect(v).toEqual({ confirmed: false, why: expect.stringContaining('UNIMPLEMENTED "iam" has no "delete" operation configured') });
  } finally {
    await fixture.stop();
  }
});

test('one misconfigured call anywhere in the run outweighs connectivity failures', async () => {
  const fixture = await iamFixture();
  try {
    const wrong = await record(iamClient(), fixture.address, { op: 'get', key: 'k' });
    const refused = await record(etcdService().createClient(), await refusedPort());
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(refused).toSucceed()), evidence([wrong, refused])).confirmed).toBe(false);
  } finally {
    await fixture.stop();
  }
});

test('an unchecked operation that failed (OperationError) is the gap when it failed for connectivity', async () => {
  const r = await record(etcdService().createClient(), await refusedPort());
  // As runner/execute.ts throws it for an operation no expect() checks.
  const e = new OperationError(`${r.error}\n  (an operation no expect() checks must succeed; add expect(op).toFail() if failure is expected)`);
  expect(classifyDocGapFailure(e, evidence([r])).confirmed).toBe(true);
  expect(classifyDocGapFailure(e, evidence([])).confirmed).toBe(false);
});

test('S5: a watch stream ended by the killed member (the shape recorded on etcd 3.4) confirms the gap', () => {
  // Recorded by `--grep S5` on etcd: the writer's put during the election timed out once, then succeeded.
  const writes: OpRecord[] = [
    { id: 3, process: 'client(node-2)', op: 'put', key: 's5/c', value: 'while-down', invoke: 416.795, complete: 2927.777, outcome: 'ok', attempts: [
      { n: 1, start: 416.798, end: 2420.68, endpoint: 'node-2@127.0.0.1:32202', status: 'DEADLINE_EXCEEDED', error: 'Deadline exceeded after 2.001s,name resolution: 0.001s,remote_addr=127.0.0.1:32202' },
      { n: 2, start: 2920.357, end: 2927.766, endpoint: 'node-2@127.0.0.1:32202', status: 'OK' },
    ] },
  ];
  const watch: WatchRecording = { client: 'faultline watch', events: [], lifecycle: [
    { t: 370.099, kind: 'started', detail: 'watch 0 on node-1@127.0.0.1:32200, prefix "s5/", from revision 2' },
    { t: 440.292, kind: 'terminated', detail: 'UNAVAILABLE: Connection dropped' },
  ] };
  const check = { client: 'faultline watch', prefix: 's5/', ok: true, lost: [], notDelivered: [writes[0]], expected: writes, delivered: 0, duplicated: [], reordered: [], describe: () => 'stream: terminated at 440ms (UNAVAILABLE: Connection dropped); never reconnected' } as unknown as WatchCheck;
  const e = thrown(() => faultlineExpect(check).toReceiveAll());
  const v = classifyDocGapFailure(e, evidence(writes, [watch]));
  // The stream that never came back speaks for the gap, not the write that recovered.
  expect(v).toEqual({ confirmed: true, why: 'watch "faultline watch" terminated at 440ms: UNAVAILABLE: Connection dropped (and 1 more connectivity failure(s))' });
  const compacted: WatchRecording = { ...watch, lifecycle: [watch.lifecycle[0]!, { t: 440.292, kind: 'terminated', detail: 'canceled by the server: mvcc: required revision has been compacted (compacted at revision 5)' }] };
  expect(classifyDocGapFailure(e, evidence([], [compacted])).confirmed).toBe(false);
  // What the test's own stop() leaves behind is not evidence.
  const stopped: WatchRecording = { ...watch, lifecycle: [watch.lifecycle[0]!, { t: 400, kind: 'stopped', detail: 'stream cancelled by the test' }, { t: 401, kind: 'error', detail: 'CANCELLED: Cancelled on client' }] };
  expect(classifyDocGapFailure(e, evidence([], [stopped])).why).toContain('recorded no connectivity failure');
});

test('real clients under test: etcdctl and etcd3 attempts against a killed member (recorded shapes) are connectivity', () => {
  const op = (status: string, error: string): OpRecord => ({ id: 1, process: 'etcdctl(node-1)', op: 'put', key: 'k', value: 'v2', invoke: 0, complete: 5000, outcome: 'fail', attempts: [{ n: 1, start: 0, end: 5000, endpoint: 'node-1@127.0.0.1:32208', status, error }] });
  const e = (r: OpRecord) => thrown(() => faultlineExpect(r).toSucceed());
  for (const r of [
    op('DEADLINE_EXCEEDED', 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure (target endpoint://client-80251df4/127.0.0.1:32208)'),
    op('UNAVAILABLE', 'not sent: BrokenCircuitError: Execution prevented because the circuit breaker is open'),
    op('INTERNAL', 'Received RST_STREAM with code 2 triggered by internal client error: Protocol error'),
  ]) expect(classifyDocGapFailure(e(r), evidence([r])).confirmed).toBe(true);
  const bug = op('UNKNOWN', "TypeError: Cannot read properties of undefined (reading 'value')");
  expect(classifyDocGapFailure(e(bug), evidence([bug])).confirmed).toBe(false);
});

test('an expectation that failed with no failure recorded (a wrong value read) is not the gap', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/GetPolicy': () => ({ found: true, document: 'v1' }) });
  try {
    const r = await record(iamClient(), fixture.address, { op: 'get', key: 'k' });
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(r).toHaveRead('other')), evidence([r]));
    expect(v).toEqual({ confirmed: false, why: 'the expectation failed, but the run recorded no connectivity failure (no failed attempt, broken watch stream or link fault)' });
  } finally {
    await fixture.stop();
  }
});

test('errors that are not failed expectations never confirm the gap, whatever the run recorded', async () => {
  const connectivity = evidence([await record(etcdService().createClient(), await refusedPort())]);
  const errors: [unknown, string][] = [
    [new ScenarioError('node-5 does not exist: the cluster has 3 nodes (node-1 to node-3).', 'use cluster.node(1) to cluster.node(3).'), 'ScenarioError: node-5 does not exist'],
    [new ServiceConfigError('"faultline.services.json"', 'iam.operations.put.call', 'the RPC "x" is not in "iam.proto".', 'name a unary RPC.'), 'ServiceConfigError: Invalid service configuration at "iam.operations.put.call"'],
    [new NodeProcessError('node-1 exited while starting.', 'node-1', 3764, 2, undefined, ['flag provided but not defined: -no-such-flag']), 'NodeProcessError: node-1 exited while starting.'],
    [new ReadinessTimeoutError('node-1 ready', 30_000, 'GET http://127.0.0.1:32200/nope → 404 404 page not found'), 'ReadinessTimeoutError: node-1 ready not reached after 30s'],
    [new EnvironmentError('iptables is not available: run as root.'), 'EnvironmentError: iptables is not available'],
    [new WatchClientError('faultline watch', 'The watch on "s5/" at node-1 was not created: 14 UNAVAILABLE.', 'start the watch on a running member.'), 'WatchClientError: The watch on "s5/"'],
    [new TypeError('plan.clusters is not iterable'), 'TypeError: plan.clusters is not iterable'],
    [thrown(() => expect(1).toBe(2)), 'expect(received).toBe(expected)'],
  ];
  for (const [error, start] of errors) {
    const v = classifyDocGapFailure(error, connectivity);
    expect(v.confirmed, start).toBe(false);
    expect(v.why.startsWith(start), v.why).toBe(true);
    expect(v.why).toContain('not a failed expectation or operation');
  }
});

test('every Faultline matcher counts as an expectation (the names Playwright gives their errors)', () => {
  const op: OpRecord = { id: 1, process: 'c', op: 'put', key: 'k', value: 'v', invoke: 0, complete: 1, outcome: 'fail', error: 'put failed', attempts: [{ n: 1, start: 0, end: 1, endpoint: 'node-1@127.0.0.1:1', status: 'UNAVAILABLE', error: 'connect ECONNREFUSED 127.0.0.1:1' }] };
  const ok: OpRecord = { ...op, outcome: 'ok', attempts: [{ ...op.attempts[0]!, status: 'OK', error: undefined }] };
  const x = faultlineExpect as unknown as (v: unknown) => Record<string, (...args: unknown[]) => void>;
  const watch = { client: 'w', prefix: 'p/', ok: false, lost: [], notDelivered: [], expected: [], delivered: 0, duplicated: [], reordered: [], reconnects: [], describe: () => '' };
  const failures: Record<string, unknown> = {
    toRetry: thrown(() => x(op).toRetry!({ min: 3, max: 3, tolerance: 0.2 }, POLICY)),
    toSucceed: thrown(() => x(op).toSucceed!()),
    toFail: thrown(() => x(ok).toFail!({})),
    toHaveRead: thrown(() => x(op).toHaveRead!('v')),
    toHaveLeader: thrown(() => x({ withinMs: 1000, tookMs: 1000, states: {} }).toHaveLeader!()),
    toBeLinearizable: thrown(() => x({ verdict: 'not linearizable', keys: [], ops: 0, lostWrites: [] }).toBeLinearizable!()),
    toHaveLostNothing: thrown(() => x({ lost: [{ node: 'node-1', message: 'lost' }], failedReads: [], keys: 1 }).toHaveLostNothing!()),
    toReceiveAll: thrown(() => x(watch).toReceiveAll!()),
    toEnd: thrown(() => x(watch).toEnd!()),
    toContainLogLine: thrown(() => x({ node: 'node-1', pattern: '"x"', fromMs: 0, withinMs: 1, fromWhat: 'start', matches: [], lastLines: [] }).toContainLogLine!()),
    toSeeRetries: thrown(() => x({ link: 'client → node-1', fromMs: 0, fromWhat: 'start', attempts: [] }).toSeeRetries!({ min: 1, max: 1, tolerance: 0.2 })),
  };
  expect(Object.keys(failures).sort()).toEqual([...FAULTLINE_MATCHERS].sort());
  for (const [name, e] of Object.entries(failures)) {
    expect(e, name).toHaveProperty('matcherResult.name', name);
    expect(classifyDocGapFailure(e, evidence([op])).confirmed, name).toBe(true);
  }
});

test('link faults that cut a client off are connectivity evidence (toSeeRetries of a client we do not drive)', () => {
  const e = thrown(() => faultlineExpect({ link: 'grpc-proxy → node-1', fromMs: 0, fromWhat: 'start', attempts: [] }).toSeeRetries({ min: 2, max: 2, tolerance: 0.2 }));
  const link = (kind: string) => ({ link: 'grpc-proxy→node-1', listenPort: 1, target: { host: '127.0.0.1', port: 2 }, connections: [], faults: [{ fault: { kind } as never, description: `${kind} (fixture)`, startedAt: 100, attemptsObservable: true }] });
  expect(classifyDocGapFailure(e, { history: [], watches: [], links: [link('reset')] })).toEqual({ confirmed: true, why: 'link grpc-proxy→node-1: reset (fixture) from 100ms' });
  expect(classifyDocGapFailure(e, { history: [], watches: [], links: [link('latency')] }).confirmed).toBe(false);
});

test('the verdict travels as an annotation the report reads back', () => {
  for (const v of [{ confirmed: true, why: 'watch "w" terminated: UNAVAILABLE' }, { confirmed: false, why: 'put "k": UNIMPLEMENTED — not a connectivity failure' }]) {
    const a = docGapAnnotation(v);
    expect(a.type).toBe('doc-gap');
    expect(a.description).toBe(`${v.confirmed ? 'confirmed' : 'not confirmed'}: ${v.why}`);
    expect(readDocGapAnnotation([{ type: 'fail', description: 'DOC-GAP: x' }, a])).toEqual(v);
  }
  expect(readDocGapAnnotation([{ type: 'fail', description: 'DOC-GAP: x' }])).toBeUndefined();
});
