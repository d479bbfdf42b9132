// Gathers the records a DOC-GAP verdict may use: those of the step the error failed in (its operation,
// the read toRead made, its watch, its link), never the rest of the run (other clients, workloads, faults).
import type { PlanStep } from '../dsl/plan.ts';
import type { DocGapEvidence } from './doc-gap.ts';
import { OperationError } from './errors.ts';
import { failedStepOf } from './failed-step.ts';
import type { OpRecord } from './records/history.ts';
import type { Run } from './run.ts';

/** The failed step of `error` and its own records; empty when the error did not come from a plan step. */
export async function docGapEvidence(run: Run, error: unknown): Promise<DocGapEvidence> {
  const step = failedStepOf(error);
  if (!step) return {};
  // A record that cannot be found leaves the verdict "not confirmed"; it never hides the error.
  return { step, ...(await subjectRecords(run, step, error).catch(() => ({}))) };
}

async function subjectRecords(run: Run, step: PlanStep, error: unknown): Promise<Omit<DocGapEvidence, 'step'>> {
  const e = error as { matcherResult?: { record?: OpRecord } } | null;
  // Only a failed operation or expectation is judged by records; their operations have settled by now.
  if (step.kind === 'op') return error instanceof OperationError ? { op: await run.result(step.op.id) } : {};
  if (step.kind !== 'expect' || !e?.matcherResult) return {};
  const { subject } = step;
  if (step.matcher === 'toRead') return { op: e.matcherResult.record };
  if (subject.kind === 'op' || (subject.kind === 'client' && subject.op)) return { op: await run.result((subject.kind === 'op' ? subject.op : subject.op!).id) };
  if (subject.kind === 'watch') return { watch: run.watches.get(subject.watch.id)?.handle.recording };
  if (subject.kind === 'link') {
    await run.network.syncLinks();
    return { link: run.network.link(await run.linkFrom(subject.link), await run.resolve(subject.link.to)).records };
  }
  return {};
}
