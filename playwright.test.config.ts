// The project's own tests (npm test): unit tests of the plan, integration on real etcd.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test',
  outputDir: 'test-results/own',
  timeout: 120_000,
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  preserveOutput: 'failures-only',
  reporter: [['list'], ['json', { outputFile: 'test-results/own-tests.json' }]],
});
