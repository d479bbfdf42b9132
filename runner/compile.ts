// Compiles a plan into Playwright tests: one per service column that runs it, tagged for its project.
import type { TestInfo } from '@playwright/test';
import { ScenarioProblemsError } from '../dsl/errors.ts';
import type { SpecLocation } from '../dsl/location.ts';
import type { Plan } from '../dsl/plan.ts';
import type { ServiceName } from '../dsl/services.ts';
import { executePlan, type ClusterCheck } from './execute.ts';
import { runDocGap } from './doc-gap-run.ts';
import { attachRecord, recordInfrastructure } from './reporter-records.ts';
import { declareAt } from './declare-at.ts';
import { environmentShortfall } from './preflight.ts';
import { test, type EvidenceHook } from './fixture.ts';
import type { ServiceDefinition } from './contract/service.ts';
import { chooseClient } from './subjects/choose-client.ts';

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

/**
 * Registers the plan's tests at `at` (default: the plan's scenario(…) line), so Playwright's list,
 * file:line filters, reporters and Allure point at the spec; a plan with problems fails before any
 * process starts.
 */
export function registerPlan(plan: Plan, deps: CompileDeps, at: SpecLocation | undefined = plan.location): void {
  const declare = declareAt(test, at);
  for (const [service, status] of Object.entries(plan.matrix) as [ServiceName, string][]) {
    if (status === 'n/a') continue;
    declare.describe(service, { tag: `@${service}` }, () => {
      declare.test(testTitle(plan), { tag: `@${plan.id}` }, async ({ faultline }, testInfo) => {
        await deps.beforeRun?.(plan, service, testInfo);
        const problems = [...plan.problems, ...(plan.columnProblems[service] ?? [])];
        if (problems.length) throw combine(plan, problems);
        const definition = deps.services[service];
        const notConfigured = definition.unavailable() ?? unavailableCluster(plan, service, deps.services);
        if (notConfigured) await attachRecord(testInfo, 'notConfigured', { why: notConfigured });
        test.skip(!!notConfigured, notConfigured);
        const unsupported = unsupportedByService(plan, service, definition);
        test.skip(!!unsupported, unsupported);
        const reason = `${status}: ${plan.reasons[service] ?? `the matrix marks ${service} as ${status} for ${plan.id}`}`;
        test.skip(status === 'SKIP', reason);
        const shortfall = environmentShortfall(plan);
        test.skip(!!shortfall, shortfall);
        // A documented gap is expected to show: the test is green when the gap is confirmed, and
        // red ("expected to fail, but passed") when the gap has closed and the matrix is stale.
        // It is also red when it failed for another reason than the gap (runner/doc-gap.ts).
        test.fail(status === 'DOC-GAP', reason);
        const run = faultline.open(definition, { evidence: deps.evidence, services: deps.services });
        try {
          if (status === 'DOC-GAP') await runDocGap(service, run, testInfo, () => executePlan(plan, run, deps.clusterChecks));
          else await executePlan(plan, run, deps.clusterChecks);
        } catch (e) {
          await recordInfrastructure(testInfo, e);
          throw e;
        }
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
    // The PD a started service names, the PD that one names, and so on (cycles are refused at load).
    let def = step.cluster === undefined || step.cluster === column ? services[column] : step.service && services[step.service];
    while (def && def.pdService) {
      const pd = services[def.pdService.service as ServiceName];
      const why = pd?.unavailable();
      if (why) return `${why} — ${def.name} needs a ${def.pdService.service} PD ("pd" of ${def.name} in faultline.services.json), which the runner starts first`;
      def = pd;
    }
  }
  return undefined;
}

/**
 * Why the column's service cannot run what this plan asks of it (a watch, a client under test, a
 * dependent server it does not define), or undefined. Checked before any process starts; shown as
 * the skip reason, so a documented gap is never "confirmed" by a missing feature.
 */
export function unsupportedByService(plan: Pick<Plan, 'steps'>, column: ServiceName, definition: ServiceDefinition): string | undefined {
  const own = (cluster: string | undefined) => cluster === undefined || cluster === column;
  for (const step of plan.steps) {
    const clusterOf = (c: { endpoints: 'all' | { cluster?: string }[]; cluster?: string }) => (c.endpoints === 'all' ? c.cluster : c.endpoints[0]?.cluster);
    if (step.kind === 'watch.start' && own(clusterOf(step.watch.client))) {
      if (step.watch.using === 'faultline' && !definition.watch) return `${column} has no watch of Faultline's own (its definition opens no watch stream), so this scenario's watch cannot run on it`;
      const chosen = step.watch.using === 'faultline' ? undefined : chooseClient(definition, step.watch.using, true);
      if (typeof chosen === 'string') return `${chosen}, so this scenario's watch cannot run on it`;
    }
    const client = step.kind === 'op' ? step.op.client : undefined;
    const under = client && own(clusterOf(client)) ? client.under : undefined;
    const chosen = under ? chooseClient(definition, under) : undefined;
    if (typeof chosen === 'string') return `${chosen}, so this scenario cannot run on it`;
    if (step.kind === 'dependent.start' && own(step.cluster) && !definition.dependents?.[step.dependent]) {
      return `${column} defines no dependent server "${step.dependent}", so this scenario cannot run on it`;
    }
  }
  return undefined;
}

function combine(plan: Plan, problems: Error[]): Error {
  if (problems.length === 1) return problems[0]!;
  return new ScenarioProblemsError(plan.id, problems);
}
