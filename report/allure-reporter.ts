// allure-playwright, able to run inside `playwright merge-reports` too. There (1) the config reaches
// reporters (onConfigure) before its projects, which come with each blob's onProject, and
// allure-playwright 3.12 reads `config.projects[0]` in onConfigure — a TypeError that makes the merge
// exit 1 (allure-framework/allure2#2336 is the same kind); (2) it dates a test from the moment its
// onTestBegin arrives, which in a merge is the replay: every test would start at the merge. Here a
// test's Allure start is Playwright's own start of it, in a run and in a merge alike.
import { AllureReporter } from 'allure-playwright';
import type { FullConfig, Suite, TestCase, TestResult } from '@playwright/test/reporter';

/** The parts of allure-playwright 3.12's internals used to date a test (checked at use: absent, Allure keeps its own date). */
interface AllureInternals {
  allureRuntime?: { updateTest?(uuid: string, update: (result: { start?: number }) => void): void };
  allureResultsUuids?: Map<string, string>;
}

/** The reporter the scenario suite registers for the Allure results: allure-playwright's own, fit for merge-reports. */
export default class MergeSafeAllureReporter extends AllureReporter {
  private pending?: FullConfig;

  override onConfigure(config: FullConfig): void {
    if (config.projects.length) super.onConfigure(config);
    // merge-reports fills this same object's projects before onBegin.
    else this.pending = config;
  }

  override onBegin(suite: Suite): void {
    if (this.pending?.projects.length) super.onConfigure(this.pending);
    else if (this.pending) this.config = this.pending;
    this.pending = undefined;
    super.onBegin(suite);
  }

  override onTestBegin(test: TestCase, result?: TestResult): void {
    super.onTestBegin(test);
    const start = result?.startTime.getTime();
    const internals = this as unknown as AllureInternals;
    const uuid = internals.allureResultsUuids?.get(test.id);
    if (uuid && start && typeof internals.allureRuntime?.updateTest === 'function') internals.allureRuntime.updateTest(uuid, (r) => void (r.start = start));
  }
}
