// Records what a scenario body says into plan steps. Verbs return handles, never do I/O.
import { formatMs, parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation } from './location.ts';
import type { OpRef, PlanStep } from './plan.ts';

/** Shared state of one recording; handles append to it. */
export class Recorder {
  readonly steps: PlanStep[] = [];
  readonly problems: Error[] = [];
  private nextId = 1;
  /** The last operation issued through each client, for `expect(client)`. */
  readonly lastOp = new Map<number, OpRef>();

  id(): number {
    return this.nextId++;
  }

  add(step: PlanStep): void {
    this.steps.push(step);
  }

  /** Runs a recording action, keeping a ScenarioError as a plan problem instead of throwing. */
  guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.problems.push(e);
      return undefined;
    }
  }
}

/** Records `wait(d)`: a plain pause, e.g. to let a fault last. */
export function recordWait(rec: Recorder, d: Duration): void {
  const location = callerLocation();
  rec.guard(() => {
    const ms = parseDuration(d, 'wait()', location);
    rec.add({ kind: 'wait', ms, title: `wait ${formatMs(ms)}`, location });
  });
}
