// Compiles a plan into Playwright tests: one per service column that runs it, tagged for its project.
import type { TestInfo } from '@playwright/test';
import type { Plan } from '../dsl/plan.ts';
import type { ServiceName } from '../dsl/services.ts';
import { executePlan, type ClusterCheck } from './execute.ts';
import { runDocGap } from './doc-gap-run.ts';
import { test, type EvidenceHook } from './fixture.ts';
import type { ServiceDefinition } from './service.ts';

/** What the composition root plugs in: services, report hooks, extra cluster checks. */
export interface CompileDeps {
  services: Record<ServiceName, ServiceDefinition>;
  beforeRun?: (plan: Plan, service: ServiceName, testInfo: TestInfo) => Promise<void>;
  clusterChecks?: Record<string, ClusterCheck>;
  evidence?: EvidenceHook;
}

/** The test title: `S4 Service restart recovery › kill -9 + start`. */
export function testTitle(plan: Pick<Plan, 'id' | 'title' | 'variant'>): string {
  return `${plan.id} ${plan.title}${plan.variant ? ` › ${plan.variant}` : ''}`;
}

/** Registers the plan's tests; a plan with problems fails before any process starts. */
export function registerPlan(plan: Plan, deps: CompileDeps): void {
  for (const [service, status] of Object.entries(plan.matrix) as [ServiceName, string][]) {
    if (status === 'n/a') continue;
    test.describe(service, { tag: `@${service}` }, () => {
      test(testTitle(plan), { tag: `@${plan.id}` }, async ({ faultline }, testInfo) => {
        await deps.beforeRun?.(plan, service, testInfo);
        const problems = [...plan.problems, ...(plan.columnProblems[service] ?? [])];
        if (problems.length) throw combine(plan, problems);
        const definition = deps.services[service];
        const unavailable = definition.unavailable() ?? unavailableCluster(plan, service, deps.services);
        test.skip(!!unavailable, unavailable);
        const reason = `${status}: ${plan.reasons[service] ?? `the matrix marks ${service} as ${status} for ${plan.id}`}`;
        test.skip(status === 'SKIP', reason);
        // A documented gap is expected to show: the test is green when the gap is confirmed, and
        // red ("expected to fail, but passed") when the gap has closed and the matrix is stale.
        // It is also red when it failed for another reason than the gap (runner/doc-gap.ts).
        test.fail(status === 'DOC-GAP', reason);
        const run = faultline.open(definition, { evidence: deps.evidence, services: deps.services });
        if (status === 'DOC-GAP') await runDocGap(service, run, testInfo, () => executePlan(plan, run, deps.clusterChecks));
        else await executePlan(plan, run, deps.clusterChecks);
      });
    });
  }
}

/**
 * Why another cluster the plan starts cannot run here, or undefined: a declared one (e.g. ChainFire
 * as PD), or the PD a started service's configuration names (FlareDB's "pd": { "service": "chainfire" }).
 */
export function unavailableCluster(plan: Pick<Plan, 'clusters' | 'steps'>, column: ServiceName, services: Record<ServiceName, ServiceDefinition>): string | undefined {
  for (const decl of plan.clusters) {
    if (decl.key === column) continue;
    const why = services[decl.service]?.unavailable();
    if (why) return `${why} — the scenario starts a ${decl.service} cluster ("${decl.key}") beside ${column}`;
  }
  for (const step of plan.steps) {
    if (step.kind !== 'cluster.start' || step.pd) continue;
    const def = step.cluster === undefined || step.cluster === column ? services[column] : step.service && services[step.service];
    const pd = def ? def.pdService : undefined;
    const why = pd && services[pd.service as ServiceName]?.unavailable();
    if (why) return `${why} — ${def!.name} needs a ${pd!.service} PD ("pd" of ${def!.name} in faultline.services.json), which the runner starts first`;
  }
  return undefined;
}

function combine(plan: Plan, problems: Error[]): Error {
  if (problems.length === 1) return problems[0]!;
  const e = new Error(`Scenario "${plan.id}" has ${problems.length} problems:\n\n${problems.map((p) => p.message).join('\n\n')}`);
  e.name = 'ScenarioError';
  return e;
}
