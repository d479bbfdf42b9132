// The DOC-GAP classifier on real error objects and real records: attempts made by the recording client
// against real sockets (a refused port, a frozen server, a gRPC server without the RPC, one that rejects
// the request), ExpectErrors thrown by Faultline's own matchers, the runner's error classes, and the plan
// steps a recorded scenario holds: the verdict is that of the failing step's own subject.
import { test, expect } from '@playwright/test';
import { refusedPort, thrown } from './doc-gap-helpers.ts';
import { EtcdWatchStreamEnded } from 'etcd3';
import { definePlan } from '../../dsl/index.ts';
import type { PlanStep } from '../../dsl/plan.ts';
import { ScenarioError } from '../../dsl/errors.ts';
import { SEED_POLICY } from '../../dsl/policy.ts';
import { startClock } from '../../runner/time/clock.ts';
import { classifyDocGapFailure, docGapAnnotation, FAULTLINE_MATCHERS } from '../../runner/doc-gap.ts';
import { EnvironmentError, NodeProcessError, ReadinessTimeoutError } from '../../runner/process/process-errors.ts';
import { OperationError } from '../../runner/errors.ts';
import type { OpRecord } from '../../runner/records/history.ts';
import { faultlineExpect } from '../../runner/matchers/index.ts';
import { runOperation } from '../../runner/operation.ts';
import type { LinkRecords } from '../../runner/proxy/link-records.ts';
import type { KvOperation, ServiceClient } from '../../runner/contract/service.ts';
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


/** The stand-in IAM .proto served by a server that implements only Health, like a binary behind a wrong .proto. */
async function iamFixture(handlers: Record<string, (req: unknown) => object> = {}): Promise<WireFixture> {
  return startWireFixture(shippedProto('iam/iam.proto'), { 'iam.v1.Health/Check': () => ({ status: 'SERVING' }), ...handlers });
}

const iamClient = (operations?: object) => {
  const config = shippedConfigs().iam;
  return grpcService(operations ? { ...config, operations } : config).createClient();
};


/** The steps of a recorded scenario, one per subject a DOC-GAP verdict can be about. */
const plan = definePlan('DG', 'DOC-GAP subjects', { matrix: { etcd: 'DOC-GAP' } }, ({ cluster, client, expect, step }) => {
  cluster.start({ nodes: 3 });
  const c = client.to(cluster.node(1));
  c.put('u', 'unchecked');
  const put = c.put('k', 'v2');
  expect(put).toSucceed();
  expect(put).toRetry({ min: 5, max: 5 });
  expect(client.to(cluster.node(1)).underTest().put('s', 'v')).toRetryAsClientClaims();
  expect(put).toFail();
  expect(c).toRead('k', 'v1');
  const w = c.watch('p/');
  expect(w).toReceiveAll({ within: '1s' });
  expect(w).toEnd({ within: '1s' });
  const link = cluster.node(1).link();
  link.reset();
  expect(link).toSeeRetries(2);
  expect(cluster.node(1).peerLinks().incoming()).toRetryAsClaimed();
  expect(cluster.node(1).log).toContain('x');
  expect(cluster).toHaveLeader();
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
  step('custom code', () => {});
});
const expecting = (matcher: string): PlanStep => plan.steps.find((s) => s.kind === 'expect' && s.matcher === matcher)!;
const UNCHECKED = plan.steps.find((s) => s.kind === 'op' && s.op.key === 'u')!;
const CUSTOM = plan.steps.find((s) => s.kind === 'custom')!;

test('the recorded scenario holds every step the verdicts below are about', () => {
  expect(plan.problems).toEqual([]);
  for (const m of ['toSucceed', 'toRetry', 'toFail', 'toRead', 'toReceiveAll', 'toEnd', 'toSeeRetries', 'toRetryAsClaimed', 'toContain', 'toHaveLeader', 'toHaveNoDataLoss', 'toBeConsistent']) expect(expecting(m), m).toBeDefined();
});

test('a toSucceed that failed against a refused port (a killed node): UNAVAILABLE ECONNREFUSED confirms the gap', async () => {
  const r = await record(etcdService().createClient(), await refusedPort());
  expect(r.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
  const e = thrown(() => faultlineExpect(r).toSucceed());
  expect(e).toHaveProperty('matcherResult.name', 'toSucceed');
  const v = classifyDocGapFailure(e, { step: expecting('toSucceed'), op: r });
  expect(v.confirmed).toBe(true);
  expect(v.why).toMatch(/^put "k" \(op 1, client\(node-1\)\) attempt #1 to node-1@127\.0\.0\.1:\d+: UNAVAILABLE .*ECONNREFUSED.* \(and 2 more connectivity failure\(s\)\)$/);
  // The same error outside the expectation it belongs to (no step, or another step) confirms nothing.
  expect(classifyDocGapFailure(e, { op: r }).why).toBe('toSucceed() failed — it checks a record outside the expectation it belongs to, not whether the client survived the fault, so it cannot show the gap');
  expect(classifyDocGapFailure(e, { step: CUSTOM, op: r }).confirmed).toBe(false);
});

test('a frozen server (no answer in time): DEADLINE_EXCEEDED confirms the gap, for toRetry too', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/PutPolicy': () => ({}) });
  fixture.mode = 'hang';
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED']);
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(r).toRetry({ min: 5, max: 5, tolerance: 0.2 }, POLICY)), { step: expecting('toRetry'), op: r }).confirmed).toBe(true);
  } finally {
    await fixture.stop();
  }
});

test('a toRetry count mismatch of an operation that never failed for connectivity is not the gap', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/PutPolicy': () => ({}) });
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['OK']);
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(r).toRetry({ min: 1, max: 3, tolerance: 0.2 }, POLICY)), { step: expecting('toRetry'), op: r });
    expect(v).toEqual({ confirmed: false, why: `"${expecting('toRetry').title}" failed, but put "k" (op 1, client(node-1)) made no attempt that failed for connectivity` });
  } finally {
    await fixture.stop();
  }
});

test('a wrong .proto (the server does not implement the RPC): UNIMPLEMENTED is another reason', async () => {
  const fixture = await iamFixture();
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['UNIMPLEMENTED']);
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(r).toSucceed()), { step: expecting('toSucceed'), op: r });
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
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(rejected).toSucceed()), { step: expecting('toSucceed'), op: rejected }).why).toContain('INVALID_ARGUMENT');
    const unmapped = await record(iamClient({ put: shippedConfigs().iam.operations.put }), fixture.address, { op: 'delete', key: 'k' });
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(unmapped).toSucceed()), { step: expecting('toSucceed'), op: unmapped });
    expect(v).toEqual({ confirmed: false, why: expect.stringContaining('UNIMPLEMENTED "iam" has no "delete" operation configured') });
  } finally {
    await fixture.stop();
  }
});

test('an attempt the runner retried past as transient (ABORTED) does not veto; one the operation ended on does', async () => {
  // First call of each operation: ABORTED; then UNAVAILABLE, or ABORTED again when `alwaysAborted`.
  let calls = 0;
  let alwaysAborted = false;
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/PutPolicy': () => {
    throw ++calls === 1 || alwaysAborted ? { code: 10, details: 'transaction aborted, retry' } : { code: 14, details: 'the policy store is restarting' };
  } });
  try {
    const r = await record(iamClient(), fixture.address);
    expect(r.attempts.map((a) => a.status)).toEqual(['ABORTED', 'UNAVAILABLE', 'UNAVAILABLE']);
    const v = classifyDocGapFailure(thrown(() => faultlineExpect(r).toSucceed()), { step: expecting('toSucceed'), op: r });
    expect(v.confirmed, v.why).toBe(true);
    expect(v.why).toMatch(/^put "k" \(op 1, client\(node-1\)\) attempt #2 to node-1@127\.0\.0\.1:\d+: UNAVAILABLE .*\(the policy store is restarting\) \(and 1 more connectivity failure\(s\)\)$/);
    alwaysAborted = true;
    const aborted = await record(iamClient(), fixture.address);
    expect(aborted.attempts.map((a) => a.status)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(classifyDocGapFailure(thrown(() => faultlineExpect(aborted).toSucceed()), { step: expecting('toSucceed'), op: aborted }).why).toMatch(/attempt #3 .*: ABORTED .*\(transaction aborted, retry\) — not a connectivity failure$/);
  } finally {
    await fixture.stop();
  }
});

test('an unchecked operation that failed (OperationError) is the gap when it failed for connectivity', async () => {
  const r = await record(etcdService().createClient(), await refusedPort());
  // As runner/execute.ts throws it for an operation no expect() checks.
  const e = new OperationError(`${r.error}\n  (an operation no expect() checks must succeed; add expect(op).toFail() if failure is expected)`);
  expect(classifyDocGapFailure(e, { step: UNCHECKED, op: r }).confirmed).toBe(true);
  expect(classifyDocGapFailure(e, { step: UNCHECKED }).why).toBe(`"${UNCHECKED.title}" failed, but its operation has no record`);
  // Thrown by custom code, it is not an operation of the plan.
  expect(classifyDocGapFailure(e, { step: CUSTOM, op: r }).why).toMatch(/^OperationError: put "k" = "v2" failed after 3 attempt\(s\).* — not a failed expectation or operation, so it cannot show the gap$/);
});

test('a wrong value read is another reason, even after a fault; a read that failed for connectivity is the gap', async () => {
  const fixture = await iamFixture({ 'iam.v1.PolicyStore/GetPolicy': () => ({ found: true, document: 'other' }) });
  try {
    const wrong = await record(iamClient(), fixture.address, { op: 'get', key: 'k' });
    const e = thrown(() => faultlineExpect(wrong).toRead('v1'));
    expect(e).toHaveProperty('matcherResult.record', wrong);
    const v = classifyDocGapFailure(e, { step: expecting('toRead'), op: wrong });
    expect(v).toEqual({ confirmed: false, why: `"${expecting('toRead').title}": the read of "k" (op 1, client(node-1)) succeeded and returned "other", not "v1" — a wrong value is not a connectivity failure` });
  } finally {
    await fixture.stop();
  }
  const failed = await record(etcdService().createClient(), await refusedPort(), { op: 'get', key: 'k' });
  const v = classifyDocGapFailure(thrown(() => faultlineExpect(failed).toRead('v1')), { step: expecting('toRead'), op: failed });
  expect(v.confirmed, v.why).toBe(true);
  expect(v.why).toMatch(/^get "k" \(op 1, client\(node-1\)\) attempt #1 to .*: UNAVAILABLE /);
});

test('S5: a watch stream ended by the killed member (the shape recorded on etcd 3.4) confirms the gap', () => {
  const watch: WatchRecording = { client: 'faultline watch', events: [], lifecycle: [
    { t: 370.099, kind: 'started', detail: 'watch 0 on node-1@127.0.0.1:32200, prefix "s5/", from revision 2' },
    { t: 440.292, kind: 'terminated', detail: 'UNAVAILABLE: Connection dropped' },
  ] };
  const check = { client: 'faultline watch', prefix: 's5/', ok: true, lost: [], notDelivered: [], expected: [], delivered: 0, duplicated: [], reordered: [], describe: () => 'stream: terminated at 440ms (UNAVAILABLE: Connection dropped); never reconnected' } as unknown as WatchCheck;
  const e = thrown(() => faultlineExpect({ ...check, notDelivered: [{} as OpRecord] }).toReceiveAll());
  const step = expecting('toReceiveAll');
  expect(classifyDocGapFailure(e, { step, watch })).toEqual({ confirmed: true, why: 'watch "faultline watch" terminated at 440ms: UNAVAILABLE: Connection dropped' });
  const compacted: WatchRecording = { ...watch, lifecycle: [watch.lifecycle[0]!, { t: 440.292, kind: 'terminated', detail: 'canceled by the server: mvcc: required revision has been compacted (compacted at revision 5)' }] };
  expect(classifyDocGapFailure(e, { step, watch: compacted }).confirmed).toBe(false);
  // What the test's own stop() leaves behind is not evidence.
  const stopped: WatchRecording = { ...watch, lifecycle: [watch.lifecycle[0]!, { t: 400, kind: 'stopped', detail: 'stream cancelled by the test' }, { t: 401, kind: 'error', detail: 'CANCELLED: Cancelled on client' }] };
  expect(classifyDocGapFailure(e, { step, watch: stopped }).why).toBe(`"${step.title}" failed, but watch "faultline watch" recorded no broken stream`);
  // etcd3's own words for a stream the killed member closed (runner/watch/etcd3-watch.ts records them).
  const etcd3: WatchRecording = { client: 'etcd3 watcher', events: [], lifecycle: [watch.lifecycle[0]!, { t: 450, kind: 'reconnecting', detail: `disconnected: ${new EtcdWatchStreamEnded().message}` }] };
  expect(classifyDocGapFailure(thrown(() => faultlineExpect(check).toEnd()), { step: expecting('toEnd'), watch: etcd3 })).toEqual({ confirmed: true, why: 'watch "etcd3 watcher" reconnecting at 450ms: disconnected: The etcd watch stream was unexpectedly ended' });
});

test('real clients under test: etcdctl and etcd3 attempts against a killed member (recorded shapes) are connectivity', () => {
  const op = (status: string, error: string): OpRecord => ({ id: 1, process: 'etcdctl(node-1)', op: 'put', key: 'k', value: 'v2', invoke: 0, complete: 5000, outcome: 'fail', attempts: [{ n: 1, start: 0, end: 5000, endpoint: 'node-1@127.0.0.1:32208', status, error }] });
  const verdict = (r: OpRecord) => classifyDocGapFailure(thrown(() => faultlineExpect(r).toSucceed()), { step: expecting('toSucceed'), op: r });
  for (const r of [
    op('DEADLINE_EXCEEDED', 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure (target endpoint://client-80251df4/127.0.0.1:32208)'),
    op('UNAVAILABLE', 'not sent: BrokenCircuitError: Execution prevented because the circuit breaker is open'),
    op('INTERNAL', 'Received RST_STREAM with code 2 triggered by internal client error: Protocol error'),
    op('UNKNOWN', `${new EtcdWatchStreamEnded().message}`),
  ]) expect(verdict(r).confirmed).toBe(true);
  expect(verdict(op('UNKNOWN', "TypeError: Cannot read properties of undefined (reading 'value')")).confirmed).toBe(false);
});

test('errors that are not failed expectations never confirm the gap, whatever their step recorded', async () => {
  const refused = await record(etcdService().createClient(), await refusedPort());
  const errors: [unknown, string][] = [
    [new ScenarioError('node-5 does not exist: the cluster has 3 nodes (node-1 to node-3).', 'use cluster.node(1) to cluster.node(3).'), 'ScenarioError: node-5 does not exist'],
    [new ServiceConfigError('"faultline.services.json"', 'iam.operations.put.call', 'the RPC "x" is not in "iam.proto".', 'name a unary RPC.'), 'ServiceConfigError: Invalid service configuration at "iam.operations.put.call"'],
    [new NodeProcessError('node-1 exited while starting.', { node: 'node-1', pid: 3764, exitCode: 2, lastLines: ['flag provided but not defined: -no-such-flag'] }), 'NodeProcessError: node-1 exited while starting.'],
    [new ReadinessTimeoutError('node-1 ready', 30_000, 'GET http://127.0.0.1:32200/nope → 404 404 page not found'), 'ReadinessTimeoutError: node-1 ready not reached after 30s'],
    [new EnvironmentError('iptables is not available: run as root.'), 'EnvironmentError: iptables is not available'],
    [new WatchClientError('faultline watch', 'The watch on "s5/" at node-1 was not created: 14 UNAVAILABLE.', 'start the watch on a running member.'), 'WatchClientError: The watch on "s5/"'],
    [new TypeError('plan.clusters is not iterable'), 'TypeError: plan.clusters is not iterable'],
    [thrown(() => expect(1).toBe(2)), 'expect(received).toBe(expected)'],
  ];
  for (const [error, start] of errors) {
    for (const step of [undefined, UNCHECKED, expecting('toSucceed'), CUSTOM]) {
      const v = classifyDocGapFailure(error, { step, op: refused });
      expect(v.confirmed, start).toBe(false);
      expect(v.why.startsWith(start), v.why).toBe(true);
      expect(v.why).toContain('not a failed expectation or operation');
    }
  }
});

test('only toSucceed / toRetry / a failed toRead / toReceiveAll / toEnd / toSeeRetries can confirm: every other matcher says why not', () => {
  const op: OpRecord = { id: 1, process: 'c', op: 'put', key: 'k', value: 'v', invoke: 0, complete: 1, outcome: 'fail', error: 'put failed', attempts: [{ n: 1, start: 0, end: 1, endpoint: 'node-1@127.0.0.1:1', status: 'UNAVAILABLE', error: 'connect ECONNREFUSED 127.0.0.1:1' }] };
  const ok: OpRecord = { ...op, outcome: 'ok', attempts: [{ ...op.attempts[0]!, status: 'OK', error: undefined }] };
  const x = faultlineExpect as unknown as (v: unknown) => Record<string, (...args: unknown[]) => void>;
  const check = { client: 'w', prefix: 'p/', ok: false, lost: [], notDelivered: [], expected: [], delivered: 0, duplicated: [], reordered: [], reconnects: [], describe: () => '' };
  // Connectivity on every subject, as S4 always records from its own fault: it must not speak for another matcher.
  const evidence = {
    op,
    watch: { client: 'w', events: [], lifecycle: [{ t: 1, kind: 'terminated' as const, detail: 'UNAVAILABLE: Connection dropped' }] },
    link: { link: 'client→node-1', listenPort: 1, target: { host: '127.0.0.1', port: 2 }, connections: [], faults: [{ fault: { kind: 'reset' } as never, description: 'reset', startedAt: 1, attemptsObservable: true }] } as LinkRecords,
  };
  const cases: [string, string, unknown, string | undefined][] = [
    ['toRetry', 'toRetry', thrown(() => x(op).toRetry!({ min: 3, max: 3, tolerance: 0.2 }, POLICY)), undefined],
    ['toSucceed', 'toSucceed', thrown(() => x(op).toSucceed!()), undefined],
    ['toRetryAsClientClaims', 'toRetryAsClientClaims', thrown(() => x({ record: op, client: 'iam-cli', service: 'iam', claims: { retry: { retries: 3, initialMs: 500, multiplier: 2, maxMs: 30_000, jitter: 0, source: 'fixture claim' } }, tolerance: 0.25 }).toRetryAsClientClaims!()), undefined],
    ['toRead', 'toRead', thrown(() => x({ ...op, op: 'get' }).toRead!('v')), undefined],
    ['toReceiveAll', 'toReceiveAll', thrown(() => x(check).toReceiveAll!()), undefined],
    ['toEnd', 'toEnd', thrown(() => x(check).toEnd!()), undefined],
    ['toSeeRetries', 'toSeeRetries', thrown(() => x({ link: 'client → node-1', fromMs: 0, fromWhat: 'start', attempts: [] }).toSeeRetries!({ min: 1, max: 1, tolerance: 0.2 })), undefined],
    ['toFail', 'toFail', thrown(() => x(ok).toFail!({})), 'that an operation fails with a clear error'],
    ['toHaveLeader', 'toHaveLeader', thrown(() => x({ withinMs: 1000, tookMs: 1000, states: {} }).toHaveLeader!()), 'that the cluster has a leader'],
    ['toBeConsistent', 'toBeConsistent', thrown(() => x({ verdict: 'not linearizable', keys: [], ops: 0, lostWrites: [] }).toBeConsistent!()), 'that the history is linearizable'],
    ['toHaveNoDataLoss', 'toHaveNoDataLoss', thrown(() => x({ lost: [{ node: 'node-1', message: 'lost' }], failedReads: [], keys: 1 }).toHaveNoDataLoss!()), 'that no acknowledged write was lost'],
    ['toContainLogLine', 'toContain', thrown(() => x({ node: 'node-1', pattern: '"x"', fromMs: 0, withinMs: 1, fromWhat: 'start', matches: [], lastLines: [] }).toContainLogLine!()), "a node's log"],
    ['toRetryAsClaimed', 'toRetryAsClaimed', thrown(() => x({ observation: { link: 'node-2 → node-1', fromMs: 0, fromWhat: 'cut', dials: [] }, claim: { what: 'raft', source: 'test', initialMs: 100, multiplier: 1, maxMs: 100, retries: 'unbounded' }, tolerance: { tolerance: 0.5, slackMs: 50, quorum: 0.8 } }).toRetryAsClaimed!()), 'that servers retry their peers as the service claims'],
  ];
  expect(cases.map(([name]) => name).sort()).toEqual([...FAULTLINE_MATCHERS].sort());
  for (const [name, matcher, e, checks] of cases) {
    expect(e, name).toHaveProperty('matcherResult.name', name);
    const step = expecting(matcher);
    const v = classifyDocGapFailure(e, { step, ...evidence });
    if (!checks) expect(v.confirmed, `${name}: ${v.why}`).toBe(true);
    else expect(v, name).toEqual({ confirmed: false, why: `${name}() failed in "${step.title}" — it checks ${checks}, not whether the client survived the fault, so it cannot show the gap` });
  }
  // The waitForLeader step's own toHaveLeader is no different.
  expect(classifyDocGapFailure(cases[8]![2], { ...evidence }).why).toMatch(/^toHaveLeader\(\) failed — it checks that the cluster has a leader/);
});

test('a client under test documented as not retrying confirms the gap only when it made no retry', () => {
  const step = expecting('toSucceed');
  const e = thrown(() => faultlineExpect({ id: 1, process: 'iam-cli', op: 'put', key: 'k', value: 'v', invoke: 0, complete: 1, outcome: 'fail', attempts: [] } as OpRecord).toSucceed());
  const failed = (tries: number, connections: number): OpRecord => ({
    id: 1, process: 'iam-cli(node-1)', op: 'put', key: 'k', value: 'v', invoke: 0, complete: 900, outcome: 'fail', error: 'connect ECONNREFUSED',
    attempts: Array.from({ length: tries }, (_, i) => ({ n: i + 1, start: i * 300, end: i * 300 + 1, endpoint: 'node-1@127.0.0.1:1', status: 'UNAVAILABLE', error: 'connect ECONNREFUSED 127.0.0.1:1' })),
    subject: { service: 'iam', client: 'iam-cli', kind: 'command', connections: Array.from({ length: connections }, (_, i) => ({ t: i * 300, link: 'iam-cli→node-1' })) },
  });
  expect(classifyDocGapFailure(e, { step, op: failed(1, 1) }).confirmed).toBe(true);
  expect(classifyDocGapFailure(e, { step, op: failed(3, 3) })).toEqual({ confirmed: false, why: "iam-cli (iam's client under test) failed for connectivity but retried (3 tries, 3 connections on its links): it does not lack retries as documented" });
  expect(classifyDocGapFailure(e, { step, op: failed(1, 4) }).confirmed, 'retries seen only at its links count too').toBe(false);
});

test('toSeeRetries is judged by its own link: a reset confirms, latency alone does not', () => {
  const e = thrown(() => faultlineExpect({ link: 'grpc-proxy → node-1', fromMs: 0, fromWhat: 'start', attempts: [] }).toSeeRetries({ min: 2, max: 2, tolerance: 0.2 }));
  const link = (kind: string): LinkRecords => ({ link: 'grpc-proxy→node-1', listenPort: 1, target: { host: '127.0.0.1', port: 2 }, connections: [], faults: [{ fault: { kind } as never, description: `${kind} (fixture)`, startedAt: 100, attemptsObservable: true }] });
  const step = expecting('toSeeRetries');
  expect(classifyDocGapFailure(e, { step, link: link('reset') })).toEqual({ confirmed: true, why: 'link grpc-proxy→node-1: reset (fixture) from 100ms' });
  expect(classifyDocGapFailure(e, { step, link: link('latency') })).toEqual({ confirmed: false, why: `"${step.title}" failed, but link grpc-proxy→node-1 was not cut (no refuse, reset or blackhole fault, no failed server connection)` });
});

test('the annotation shows the verdict to people; reporters read the typed record instead', () => {
  for (const v of [{ confirmed: true, why: 'watch "w" terminated: UNAVAILABLE' }, { confirmed: false, why: 'put "k": UNIMPLEMENTED — not a connectivity failure' }]) {
    const a = docGapAnnotation(v);
    expect(a.type).toBe('doc-gap');
    expect(a.description).toBe(`${v.confirmed ? 'confirmed' : 'not confirmed'}: ${v.why}`);
  }
});
