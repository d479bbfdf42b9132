// Allure labels per scenario test: epic = the seed's plan, feature = scenario, parent suite = service.
import path from 'node:path';
import * as allure from 'allure-js-commons';
import type { TestInfo } from '@playwright/test';
import type { Plan } from '../dsl/plan.ts';
import type { ServiceName } from '../dsl/services.ts';

/** The seed's plan name, the epic of every scenario. */
export const EPIC = 'T040.S4 Service Reconnection';

/** Labels the running test for Allure's behaviours and suites views. */
export async function labelScenario(plan: Plan, service: ServiceName, _testInfo: TestInfo): Promise<void> {
  await allure.epic(EPIC);
  await allure.feature(`${plan.id} ${plan.title}`);
  if (plan.variant) await allure.story(plan.variant);
  await allure.parentSuite(service);
  await allure.suite(`${plan.id} ${plan.title}`);
  await allure.subSuite(plan.variant ?? plan.title);
  if (plan.location) await allure.label('package', path.relative(process.cwd(), plan.location.file).replace(/\.spec\.ts$/, '').replaceAll(path.sep, '.'));
  await allure.parameter('service', service);
  await allure.parameter('matrix status', plan.matrix[service] ?? 'n/a');
  if (plan.goal) await allure.description(plan.goal);
}
