// scenario(): validates the declaration, runs the body once and returns the plan as data.
import type { Duration } from './duration.ts';
import { didYouMean, ScenarioError } from './errors.ts';
import { makeExpect, type ExpectRecorder } from './expect.ts';
import { callerLocation, type SpecLocation } from './location.ts';
import type { ClusterDecl, Plan } from './plan.ts';
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

/** Options of `cluster(service, options)`. */
export interface ClusterOptions {
  /** The cluster's key and node-name prefix (default: the service), e.g. two etcd clusters 'a' and 'b'. */
  name?: string;
  /** The cluster it uses as PD: its client endpoints fill the launch template's {pd}. */
  pd?: ClusterHandle;
}

/**
 * The column's own cluster (`cluster.start()`), and a function that declares more clusters:
 * `cluster('chainfire')` as PD, `cluster('flaredb', { pd })`. A declared cluster whose key is the
 * column's service IS the column's cluster (so the same body reads well in that column).
 */
export type Clusters = ClusterHandle & ((service: ServiceName, options?: ClusterOptions) => ClusterHandle);

/** What a scenario body receives. */
export interface ScenarioContext {
  cluster: Clusters;
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
  const plan: Plan = { id, title, variant: options?.variant, goal: options?.goal, recommendation: options?.recommendation, matrix: {}, reasons: options?.reasons ?? {}, steps: rec.steps, clusters: [], location, problems: rec.problems, columnProblems: {} };
  rec.guard(() => checkDeclaration(id, title, options, location));
  plan.matrix = { ...(options?.matrix ?? {}) };
  const ctx: ScenarioContext = {
    cluster: clusters(rec, plan.clusters),
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
  validateColumns(plan);
  markChecked(plan);
  return plan;
}

/**
 * Validates the plan as each column runs it (a declared cluster named like a column is that
 * column's own cluster): a problem of every column goes to `problems`, a problem of some columns
 * only to theirs, saying which column and why.
 */
function validateColumns(plan: Plan): void {
  const columns = (Object.entries(plan.matrix) as [ServiceName, MatrixStatus][]).filter(([, s]) => s !== 'n/a').map(([c]) => c);
  if (!columns.length) {
    plan.problems.push(...validatePlan(plan));
    return;
  }
  const found = new Map(columns.map((c) => [c, validatePlan(plan, c)]));
  const inAll = (message: string) => columns.every((c) => found.get(c)!.some((e) => e.message === message));
  const common = new Set<string>();
  for (const [column, errors] of found) {
    for (const e of errors) {
      if (inAll(e.message)) {
        if (!common.has(e.message)) plan.problems.push(e);
        common.add(e.message);
        continue;
      }
      const declared = plan.clusters.find((d) => d.key === column);
      const why = declared ? ` (there, cluster('${declared.service}'${declared.key === declared.service ? '' : `, { name: '${declared.key}' }`}) is the column's own cluster)` : '';
      (plan.columnProblems[column] ??= []).push(new ScenarioError(`In the ${column} column${why}: ${e.rule}`, `${e.fix} Or mark ${column} n/a, or give the cluster another name: cluster('${declared?.service ?? column}', { name: 'pd' }).`, e.location));
    }
  }
}

/** The body's `cluster`: the column's cluster, callable to declare more. */
function clusters(rec: Recorder, decls: ClusterDecl[]): Clusters {
  const own = new ClusterHandle(rec);
  const declare = (service: ServiceName, options: ClusterOptions = {}): ClusterHandle => {
    const location = callerLocation();
    const key = options?.name ?? service;
    const problem = declarationProblem(service, options ?? {}, key, decls);
    if (problem) {
      rec.problems.push(new ScenarioError(problem[0], problem[1], location));
      return new ClusterHandle(rec, String(key), service);
    }
    if (!decls.some((d) => d.key === key)) decls.push({ key, service, location });
    return new ClusterHandle(rec, key, service, options?.pd);
  };
  // The function's prototype is the column's handle: cluster.start() and cluster('pd') both work.
  Object.setPrototypeOf(declare, own);
  return declare as Clusters;
}

function declarationProblem(service: ServiceName, options: ClusterOptions, key: string, decls: ClusterDecl[]): [string, string] | undefined {
  if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
    const hint = didYouMean(String(service), SERVICE_NAMES);
    return [`cluster(${JSON.stringify(service)}) names no known service (known: ${SERVICE_NAMES.join(', ')}).`, hint ? `did you mean cluster('${hint}')?` : `write e.g. cluster('chainfire').`];
  }
  if (typeof key !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(key)) {
    return [`cluster('${service}', { name: ${JSON.stringify(key)} }): a cluster name is lower-case letters, digits and dashes, starting with a letter (it prefixes node names).`, `write e.g. cluster('${service}', { name: 'pd' }).`];
  }
  if (options.pd !== undefined && !(options.pd instanceof ClusterHandle)) {
    return [`cluster('${service}', { pd }) takes a cluster of this scenario as pd.`, "write const pd = cluster('chainfire'); cluster('flaredb', { pd })."];
  }
  const earlier = decls.find((d) => d.key === key);
  if (earlier && earlier.service !== service) {
    return [`The cluster name "${key}" is already a ${earlier.service} cluster; it cannot also be a ${service} cluster.`, `give the second one its own name: cluster('${service}', { name: '${service}-2' }).`];
  }
  return undefined;
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
