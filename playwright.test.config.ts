// The project's own tests (npm test): unit tests of the plan, integration on real etcd.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test',
  outputDir: 'test-results/own',
  timeout: 120_000,
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Real processes on 2 shared cores: one retry in CI, and the summary line counts it as flaky.
  retries: process.env.CI ? 1 : 0,
  preserveOutput: 'failures-only',
  reporter: [['list'], ['json', { outputFile: 'test-results/own-tests.json' }]],
});
