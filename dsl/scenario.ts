// scenario(): validates the declaration, runs the body once and returns the plan as data.
import type { Duration } from './duration.ts';
import { didYouMean, ScenarioError } from './errors.ts';
import { makeExpect, type ExpectRecorder } from './expect.ts';
import { callerLocation, type SpecLocation } from './location.ts';
import type { Plan } from './plan.ts';
import { ClusterHandle } from './cluster-handle.ts';
import { defaultClient, type ClientHandle } from './client-handle.ts';
import { Recorder, recordWait } from './recorder.ts';
import { MATRIX_STATUSES, SERVICE_NAMES, type MatrixStatus, type ServiceName } from './services.ts';
import { markChecked, validatePlan } from './validate.ts';

/** What a scenario declares besides its steps. */
export interface ScenarioOptions {
  /** The seed's row: service → TEST / SKIP / DOC-GAP / n/a. */
  matrix: Partial<Record<ServiceName, MatrixStatus>>;
  goal?: string;
  /** Distinguishes several tests of one scenario, e.g. one per failure method. */
  variant?: string;
  /** Why a cell is SKIP or DOC-GAP, shown as the skip reason. */
  reasons?: Partial<Record<ServiceName, string>>;
  /** What the gap needs (the seed's Future Work). */
  recommendation?: string;
}

/** What a scenario body receives. */
export interface ScenarioContext {
  cluster: ClusterHandle;
  client: ClientHandle;
  expect: (subject: unknown) => ExpectRecorder;
  /** Pauses the plan, e.g. to let a fault last. @example wait('2s') */
  wait: (d: Duration) => void;
  /** Escape hatch: custom code run as one step. @example step('dump status', async (rt) => { ... }) */
  step: (title: string, body: (rt: any) => Promise<void> | void) => void;
}

let active: Recorder | undefined;

/** The recorder of the body being recorded, for the exported `expect`. */
export function activeRecorder(): Recorder | undefined {
  return active;
}

/** Records a scenario into a plan. Problems are kept in `plan.problems`; nothing is started. */
export function definePlan(id: string, title: string, options: ScenarioOptions, body: (ctx: ScenarioContext) => void): Plan {
  const location = callerLocation();
  const rec = new Recorder();
  const plan: Plan = { id, title, variant: options?.variant, goal: options?.goal, recommendation: options?.recommendation, matrix: {}, reasons: options?.reasons ?? {}, steps: rec.steps, location, problems: rec.problems };
  rec.guard(() => checkDeclaration(id, title, options, location));
  plan.matrix = { ...(options?.matrix ?? {}) };
  const ctx: ScenarioContext = {
    cluster: new ClusterHandle(rec),
    client: defaultClient(rec),
    expect: makeExpect(rec),
    wait: (d) => recordWait(rec, d),
    step: (stepTitle, fn) => rec.add({ kind: 'custom', title: stepTitle, body: fn, location: callerLocation() }),
  };
  const previous = active;
  active = rec;
  try {
    body(ctx);
  } finally {
    active = previous;
  }
  rec.problems.push(...validatePlan(plan));
  markChecked(plan);
  return plan;
}

function checkDeclaration(id: string, title: string, options: ScenarioOptions, loc?: SpecLocation): void {
  if (typeof id !== 'string' || !/^[A-Za-z][\w.-]*$/.test(id)) {
    throw new ScenarioError(`A scenario id is a short name like "S1", got ${JSON.stringify(id)}.`, "write scenario('S1', 'Raft recovery', { matrix }, body).", loc);
  }
  if (typeof title !== 'string' || !title.trim()) throw new ScenarioError(`Scenario "${id}" needs a title.`, `write scenario('${id}', 'What it tests', ...).`, loc);
  if (!options || typeof options.matrix !== 'object' || options.matrix === null) {
    throw new ScenarioError(`Scenario "${id}" has no matrix, so no service would run it.`, `add { matrix: { etcd: 'TEST' } } as the third argument.`, loc);
  }
  for (const [service, status] of Object.entries(options.matrix)) {
    if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
      const hint = didYouMean(service, SERVICE_NAMES);
      throw new ScenarioError(`Unknown service "${service}" in the matrix of scenario "${id}". Known services: ${SERVICE_NAMES.join(', ')}.`, hint ? `did you mean "${hint}"?` : 'use one of the known services, or add a service definition in services/.', loc);
    }
    if (!(MATRIX_STATUSES as readonly string[]).includes(status as string)) {
      const hint = didYouMean(String(status), MATRIX_STATUSES);
      throw new ScenarioError(`Status ${JSON.stringify(status)} for "${service}" in scenario "${id}" is not one of ${MATRIX_STATUSES.join(', ')}.`, hint ? `did you mean "${hint}"?` : `use one of ${MATRIX_STATUSES.join(', ')}.`, loc);
    }
  }
}
