// Cluster-wide verdicts over the recorded history: no acknowledged write lost, linearizable.
import { SEED_POLICY } from '../dsl/policy.ts';
import type { PlanStep } from '../dsl/plan.ts';
import { test } from '@playwright/test';
import { checkHistory } from '../checker/index.ts';
import { withAmbiguousAttempts } from '../checker/ambiguous-attempts.ts';
import { findLostWrites } from '../checker/lost-writes.ts';
import { partitionByKey } from '../checker/partition.ts';
import { faultlineExpect } from './matchers/index.ts';
import type { OpRecord } from './records/history.ts';
import type { Run } from './run.ts';
import { showWorkloads } from './workload-report.ts';

type ExpectStep = Extract<PlanStep, { kind: 'expect' }>;

/** The history of one cluster of the run (the step's subject): operations of other clusters are another system. */
function historyOf(run: Run, step: ExpectStep): OpRecord[] {
  const key = run.keyOf(step.subject.kind === 'cluster' ? step.subject.cluster : undefined);
  return run.history.filter((r) => (r.cluster ?? '') === key);
}

/** Reads every written key through every running node; the reads join the history. */
async function finalReads(run: Run, step: ExpectStep): Promise<OpRecord[]> {
  // Its own step: a workload's asked duration is the scenario's time, not the verdict's.
  await test.step('let the workloads run to their end', async () => {
    await run.finishWorkloads();
    await showWorkloads(run.events);
  });
  const cluster = run.clusterOf(step.subject.kind === 'cluster' ? step.subject.cluster : undefined);
  const keys = [...new Set(historyOf(run, step).filter((r) => r.op !== 'get').map((r) => r.key))].sort();
  const reads: OpRecord[] = [];
  for (const spec of cluster.liveSpecs()) {
    const endpoint = cluster.endpoint(spec.name);
    for (const key of keys) reads.push(await run.execute({ op: 'get', key }, `final-read(${spec.name})`, [endpoint], SEED_POLICY, run.wire(0, cluster)));
  }
  return reads;
}

/** Every acknowledged write is read back by each running node, or was overwritten by a later write. */
async function toHaveNoDataLoss(run: Run, step: ExpectStep): Promise<void> {
  const reads = await finalReads(run, step);
  const history = historyOf(run, step);
  const lost = [];
  for (const node of new Set(reads.map((r) => r.process))) {
    const view = history.filter((r) => !r.process.startsWith('final-read(') || r.process === node);
    lost.push(...findLostWrites(partitionByKey(view)).map((l) => ({ node, message: l.message })));
  }
  const failedReads = reads.filter((r) => r.outcome !== 'ok');
  faultlineExpect({ lost, failedReads: failedReads.map((r) => `${r.process}: ${r.error}`), keys: reads.length }).toHaveNoDataLoss();
}

/**
 * The whole history, final reads included, is linearizable and loses no acknowledged write — with
 * each ambiguous retry attempt allowed to take effect on its own. When the history only passes
 * thanks to such attempts, the late duplicate writes are attached as evidence: the server is
 * consistent, the client's retries are not idempotent.
 */
async function toBeConsistent(run: Run, step: ExpectStep): Promise<void> {
  await finalReads(run, step);
  const history = historyOf(run, step);
  const result = checkHistory(withAmbiguousAttempts(history), { timeoutMs: 30_000 });
  // The verdict is recorded with the run's events; the evidence reads it from there.
  run.events.record('check', { result: { verdict: result.verdict, ops: result.ops, lostWrites: result.lostWrites, keys: result.keys.map(({ failure: _, ...k }) => k) } });
  if (result.verdict === 'linearizable') {
    const strict = checkHistory(history, { timeoutMs: 10_000 });
    if (strict.verdict === 'not-linearizable') {
      const notes = strict.keys.filter((k) => k.failure).map((k) => k.failure!.message);
      await test.info().attach('late-retried-writes.txt', {
        body: `The history is linearizable only if earlier, unanswered attempts of acknowledged writes took effect late.
Without them it is not:

${notes.join('\n\n')}
${strict.lostWrites.map((l) => l.message).join('\n')}`,
        contentType: 'text/plain',
      });
      run.events.record('verdict', { detail: 'linearizable with late retried writes' });
    }
  }
  faultlineExpect(result).toBeConsistent();
}

/** The checks `expect(cluster).…()` can name beyond toHaveLeader. */
export const clusterChecks = { toHaveNoDataLoss, toBeConsistent };
