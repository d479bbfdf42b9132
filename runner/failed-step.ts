// Which plan step an error failed in, so a DOC-GAP verdict (runner/doc-gap.ts) judges that step's own
// subject, not everything the run recorded. A WeakMap: the error object is left as it was thrown.
import type { PlanStep } from '../dsl/plan.ts';

const steps = new WeakMap<object, PlanStep>();

/** Remembers the step `e` failed in; the innermost one wins when an error crosses several. Returns `e`. */
export function markFailedStep<E>(e: E, step: PlanStep): E {
  if (typeof e === 'object' && e !== null && !steps.has(e)) steps.set(e, step);
  return e;
}

/** The plan step an error failed in, or undefined when it came from outside a plan step (setup, teardown). */
export function failedStepOf(e: unknown): PlanStep | undefined {
  return typeof e === 'object' && e !== null ? steps.get(e) : undefined;
}
