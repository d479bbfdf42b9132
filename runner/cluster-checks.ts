// Cluster-wide verdicts over the recorded history: no acknowledged write lost, linearizable.
import { SEED_POLICY } from '../dsl/policy.ts';
import type { PlanStep } from '../dsl/plan.ts';
import { checkHistory } from './checker/index.ts';
import { findLostWrites } from './checker/lost-writes.ts';
import { partitionByKey } from './checker/partition.ts';
import { faultlineExpect } from './matchers/index.ts';
import type { OpRecord } from './history.ts';
import type { Run } from './run.ts';

type ExpectStep = Extract<PlanStep, { kind: 'expect' }>;

/** Reads every written key through every running node; the reads join the history. */
async function finalReads(run: Run): Promise<OpRecord[]> {
  await run.finishWorkloads();
  const keys = [...new Set(run.history.filter((r) => r.op !== 'get').map((r) => r.key))].sort();
  const reads: OpRecord[] = [];
  for (const spec of run.cluster.liveSpecs()) {
    const endpoint = run.cluster.endpoint(spec.name);
    for (const key of keys) reads.push(await run.execute({ op: 'get', key }, `final-read(${spec.name})`, [endpoint], SEED_POLICY));
  }
  return reads;
}

/** Every acknowledged write is read back by each running node, or was overwritten by a later write. */
async function toHaveNoDataLoss(run: Run, _step: ExpectStep): Promise<void> {
  const reads = await finalReads(run);
  const lost = [];
  for (const node of new Set(reads.map((r) => r.process))) {
    const view = run.history.filter((r) => !r.process.startsWith('final-read(') || r.process === node);
    lost.push(...findLostWrites(partitionByKey(view)).map((l) => ({ node, message: l.message })));
  }
  const failedReads = reads.filter((r) => r.outcome !== 'ok');
  faultlineExpect({ lost, failedReads: failedReads.map((r) => `${r.process}: ${r.error}`), keys: reads.length }).toHaveLostNothing();
}

/** The whole history, final reads included, is linearizable and loses no acknowledged write. */
async function toBeConsistent(run: Run, _step: ExpectStep): Promise<void> {
  await finalReads(run);
  const result = checkHistory(run.history, { timeoutMs: 30_000 });
  faultlineExpect(result).toBeLinearizable();
}

/** The checks `expect(cluster).…()` can name beyond toHaveLeader. */
export const clusterChecks = { toHaveNoDataLoss, toBeConsistent };
