// Faultline's public API and composition root: DSL + runner + services + report wired together.
import { activeRecorder, definePlan, makeExpect, ScenarioError, type ExpectRecorder, type Plan, type ScenarioContext, type ScenarioOptions } from './dsl/index.ts';
import { declarationLocation } from './dsl/location.ts';
import { registerPlan } from './runner/compile.ts';
import { exitOnConfigError } from './services/exit-on-config-error.ts';
import { serviceRegistry } from './services/index.ts';
import { labelScenario } from './report/allure-labels.ts';
import { attachTimeline } from './report/evidence.ts';
import { clusterChecks } from './runner/cluster-checks.ts';

const services = exitOnConfigError(() => serviceRegistry());

/**
 * Declares a scenario: the body runs once now and records a plan; each service column marked
 * TEST gets a test that runs the plan against real processes, one step per verb. Playwright lists,
 * filters (`file:line`) and reports that test at this call's line in the spec.
 * @example
 * scenario('S4', 'Service restart recovery', { matrix: { etcd: 'TEST' } }, ({ cluster, client, expect }) => {
 *   cluster.start({ nodes: 3 });
 *   client.put('k', 'v1');
 *   cluster.node(1).restart();
 *   expect(client).toRead('k', 'v1');
 * });
 */
export function scenario(id: string, title: string, options: ScenarioOptions, body: (ctx: ScenarioContext) => void): Plan {
  const plan = definePlan(id, title, options, body);
  if (planOnly) recordedPlans.push(plan);
  else registerPlan(plan, { services, beforeRun: labelScenario, clusterChecks, evidence: attachTimeline }, declarationLocation());
  return plan;
}

/** Plans recorded while FAULTLINE_PLAN_ONLY=1 (set by `faultline plan`): recorded, never registered as tests. */
export const recordedPlans: Plan[] = [];
const planOnly = process.env.FAULTLINE_PLAN_ONLY === '1';

/** Records an expectation in the scenario body being recorded (same as the body's `expect`). */
export function expect(subject: unknown): ExpectRecorder {
  const rec = activeRecorder();
  if (!rec) {
    throw new ScenarioError(
      "faultline's expect() records a step, so it works only inside a scenario body.",
      'call it inside scenario(..., ({ cluster, client }) => { ... }); in ordinary tests use expect from @playwright/test.',
    );
  }
  return makeExpect(rec)(subject);
}

export type { Plan, ScenarioOptions, ScenarioContext } from './dsl/index.ts';
export type { Run } from './runner/run.ts';
