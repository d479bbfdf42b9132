// What a DOC-GAP verdict is judged on: executePlan tags an error with the step it failed in, and the
// evidence is that step's own records only, on a real Run whose other records (a workload's rejected
// writes, another client's UNAVAILABLE) would have decided before. Records come from real sockets.
import { test, expect } from '@playwright/test';
import { refusedPort, thrown } from './doc-gap-helpers.ts';
import { definePlan } from '../../dsl/index.ts';
import type { PlanStep } from '../../dsl/plan.ts';
import { SEED_POLICY } from '../../dsl/policy.ts';
import { classifyDocGapFailure } from '../../runner/doc-gap.ts';
import { docGapEvidence } from '../../runner/doc-gap-evidence.ts';
import { OperationError } from '../../runner/errors.ts';
import { executePlan } from '../../runner/execute.ts';
import { failedStepOf, markFailedStep } from '../../runner/failed-step.ts';
import { faultlineExpect } from '../../runner/matchers/index.ts';
import { PortAllocator } from '../../runner/ports.ts';
import { Run } from '../../runner/run.ts';
import type { ServiceClient } from '../../runner/contract/service.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import { grpcService } from '../../services/grpc-service/definition.ts';
import { ServiceConfigError, shippedProto } from '../../services/grpc-service/service-config.ts';
import { startWireFixture, type WireFixture } from '../fixtures/grpc-fixtures/wire-fixture.ts';
import { shippedConfigs } from '../services/service-test-helpers.ts';

const POLICY = { ...SEED_POLICY, retries: 1, initialMs: 50, attemptTimeoutMs: 500 };

/** IAM's S4 shape: a write during the kill, then a read of what was written before it. */
const plan = definePlan('DE', 'DOC-GAP evidence', { matrix: { iam: 'DOC-GAP' } }, ({ cluster, client, expect }) => {
  cluster.start({ nodes: 1 });
  const c = client.to(cluster.node(1));
  c.put('s4/unchecked', 'v0');
  const during = c.put('s4/during', 'v2').background();
  expect(during).toSucceed();
  expect(c).toRead('s4/before', 'v1');
});
const opStep = (key: string) => plan.steps.find((s) => s.kind === 'op' && s.op.key === key) as Extract<PlanStep, { kind: 'op' }>;
const expecting = (matcher: string) => plan.steps.find((s) => s.kind === 'expect' && s.matcher === matcher)!;



let fixture: WireFixture;
let run: Run;
const clients: ServiceClient[] = [];
const iamClient = () => {
  const c = grpcService(shippedConfigs().iam).createClient();
  clients.push(c);
  return c;
};
/** One operation of the run, as `run.issue` runs a plan's (planId) or a workload's (no planId). */
const execute = async (op: Parameters<Run['execute']>[0], process: string, address: string, planId?: number) =>
  run.execute(op, process, [{ node: 'node-1', address }], POLICY, iamClient(), planId);

test.beforeEach(async ({}, testInfo) => {
  // A server that rejects a workload's write as a duplicate and knows no policy "s4/before".
  fixture = await startWireFixture(shippedProto('iam/iam.proto'), {
    'iam.v1.Health/Check': () => ({ status: 'SERVING' }),
    'iam.v1.PolicyStore/PutPolicy': () => { throw { code: 6, details: 'policy already exists' }; },
    'iam.v1.PolicyStore/GetPolicy': () => ({ found: false }),
  });
  run = new Run(grpcService(shippedConfigs().iam), testInfo.outputPath('run'), new PortAllocator(0));
});

test.afterEach(async () => {
  await run.close();
  for (const c of clients.splice(0)) c.close();
  await fixture.stop();
});

test('executePlan tags the error with the step it failed in; errors from outside a step carry none', async () => {
  const steps = definePlan('DM', 'failed step', { matrix: { etcd: 'TEST' } }, ({ step }) => {
    step('passes', () => {});
    step('configure the client', () => {
      throw new ServiceConfigError('"faultline.services.json"', 'etcd.operations.put.call', 'the RPC "etcdserverpb.KV/Putt" is not in "rpc.proto".', 'did you mean "etcdserverpb.KV/Put"?');
    });
  });
  const etcdRun = new Run(etcdService(), test.info().outputPath('etcd-run'), new PortAllocator(0));
  const e = await executePlan(steps, etcdRun).then(() => undefined, (x: unknown) => x);
  await etcdRun.close();
  expect(e).toBeInstanceOf(ServiceConfigError);
  expect(failedStepOf(e)).toBe(steps.steps[1]);
  expect(failedStepOf(new Error('thrown by a teardown'))).toBeUndefined();
  expect(failedStepOf('a string')).toBeUndefined();
  // The innermost step wins; non-objects pass through untouched.
  const inner = new Error('x');
  markFailedStep(markFailedStep(inner, steps.steps[1]!), steps.steps[0]!);
  expect(failedStepOf(inner)).toBe(steps.steps[1]);
  expect(markFailedStep('a string', steps.steps[0]!)).toBe('a string');
});

test("PlasmaVMC S4: a workload's ALREADY_EXISTS elsewhere in the run does not veto `during`'s UNAVAILABLE", async () => {
  const workload = await execute({ op: 'put', key: 'w/1', value: 'x' }, 'workload(client 1)', fixture.address);
  expect(workload.attempts.map((a) => a.status)).toEqual(['ALREADY_EXISTS']);
  const step = expecting('toSucceed') as Extract<PlanStep, { kind: 'expect' }>;
  const during = await execute({ op: 'put', key: 's4/during', value: 'v2' }, 'client(node-1)', await refusedPort(), (step.subject as { op: { id: number } }).op.id);
  expect(during.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
  const e = markFailedStep(thrown(() => faultlineExpect(during).toSucceed()), step);
  const evidence = await docGapEvidence(run, e);
  expect(evidence).toEqual({ step, op: during });
  const v = classifyDocGapFailure(e, evidence);
  expect(v.confirmed, v.why).toBe(true);
  expect(v.why).toMatch(/^put "s4\/during" \(op 2, client\(node-1\)\) attempt #1 to node-1@127\.0\.0\.1:\d+: UNAVAILABLE /);
});

test('IAM S4 with a wrong value path: the read returned null while `during` failed UNAVAILABLE — not the gap', async () => {
  await execute({ op: 'put', key: 's4/during', value: 'v2' }, 'client(node-1)', await refusedPort());
  const read = await execute({ op: 'get', key: 's4/before' }, 'client(node-1)', fixture.address);
  expect([read.outcome, read.result]).toEqual(['ok', null]);
  const step = expecting('toRead');
  const e = markFailedStep(thrown(() => faultlineExpect(read).toRead('v1')), step);
  const evidence = await docGapEvidence(run, e);
  expect(evidence).toEqual({ step, op: read });
  expect(classifyDocGapFailure(e, evidence)).toEqual({ confirmed: false, why: `"${step.title}": the read of "s4/before" (op 2, client(node-1)) succeeded and returned null, not "v1" — a wrong value is not a connectivity failure` });
});

test('an unchecked operation: its own record, found by its plan id; an error from outside any step has no evidence', async () => {
  const step = opStep('s4/unchecked');
  const r = await execute({ op: 'put', key: 's4/unchecked', value: 'v0' }, 'client(node-1)', await refusedPort(), step.op.id);
  const e = markFailedStep(new OperationError(`${r.error}\n  (an operation no expect() checks must succeed; add expect(op).toFail() if failure is expected)`), step);
  expect(await docGapEvidence(run, e)).toEqual({ step, op: r });
  expect(classifyDocGapFailure(e, await docGapEvidence(run, e)).confirmed).toBe(true);
  const outside = new OperationError(String(r.error));
  expect(await docGapEvidence(run, outside)).toEqual({});
  expect(classifyDocGapFailure(outside, {}).confirmed).toBe(false);
});
