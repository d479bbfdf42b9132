// The scenario suite: one project per service column; the etcd column runs everywhere.
import { defineConfig } from '@playwright/test';
import { SERVICE_NAMES } from './dsl/services.ts';
import { environmentInfo } from './report/environment.ts';
import { shardDir, shardOfRun, shardReporters } from './report/sharded-run.ts';
import { exitOnConfigError } from './services/exit-on-config-error.ts';
import { serviceRegistry } from './services/index.ts';

const services = exitOnConfigError(() => serviceRegistry());
// One shard of several (--shard=i/n) writes a blob only, in folders of its own: `npm run merge` builds the reports from all of them.
const shard = shardOfRun(process.argv, process.env);

export default defineConfig({
  testDir: 'specs',
  outputDir: shardDir('test-results/scenarios', shard),
  timeout: 120_000,
  fullyParallel: true,
  workers: process.env.FAULTLINE_WORKERS ? Number(process.env.FAULTLINE_WORKERS) : 2,
  forbidOnly: !!process.env.CI,
  preserveOutput: 'failures-only',
  reporter: shard ? shardReporters(shard, process.argv) : [
    ['list'],
    ['json', { outputFile: 'test-results/scenarios.json' }],
    ['./report/allure-reporter.ts', { resultsDir: 'allure-results', detail: false, environmentInfo: environmentInfo(Object.values(services)) }],
    ['./report/gap-matrix/reporter.ts', { outputDir: 'gap-matrix', allureResultsDir: 'allure-results' }],
  ],
  projects: SERVICE_NAMES.map((name) => ({ name, grep: new RegExp(`@${name}(\\s|$)`), metadata: { service: name } })),
});
