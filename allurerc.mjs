// Allure 3 configuration (read by `allure generate`): the report's name and categories.
// Categories use Allure 3's canonical rule format ({ id, name, matchers }); the first rule that
// matches a result wins, so the order below matters. How results look (allure-playwright 3.12):
//   - a DOC-GAP test runs as expected-to-fail (runner/compile.ts): when its failure happens, Allure
//     records it as PASSED with the failure as message — the only passed results that carry one;
//   - when it passes instead, Allure records FAILED with no message at all;
//   - when it fails for another reason than the gap (runner/doc-gap.ts), it is no longer expected to
//     fail: Allure records FAILED with "DOC-GAP not confirmed: …" as message;
//   - a TEST that failed is FAILED (BROKEN on timeout) with the error as message.

/** Same as INFRASTRUCTURE_PATTERN in report/gap-matrix/infrastructure.ts (a test keeps them equal). */
const INFRASTRUCTURE = /ReadinessTimeoutError|NodeProcessError|EnvironmentError|not reached after|Could not start/;

export default {
  name: 'Faultline — T040.S4 Service Reconnection',
  output: './allure-report',
  // The tree: service › scenario › variant (not allure-playwright's file-path "package").
  plugins: { awesome: { options: { groupBy: ['parentSuite', 'suite', 'subSuite'] } } },
  categories: {
    rules: [
      {
        // First: the cause inside it may look like any other category (a missing binary, a plan error).
        id: 'gap-not-confirmed',
        name: 'Gap not confirmed (a DOC-GAP test failed for another reason than the gap)',
        matchers: { statuses: ['failed', 'broken'], message: /DOC-GAP not confirmed/ },
        expand: true,
      },
      {
        id: 'infrastructure',
        name: 'Infrastructure (a node never became ready, a binary is missing)',
        // "passed" too: a documented gap "confirmed" by a node that never started proves nothing.
        matchers: { statuses: ['failed', 'broken', 'passed'], message: INFRASTRUCTURE },
        expand: true,
      },
      {
        id: 'plan-errors',
        name: 'Plan errors (the spec cannot run as written)',
        matchers: { statuses: ['failed', 'broken'], message: /Fix: / },
      },
      {
        id: 'gap-closed',
        name: 'Gap closed (a DOC-GAP test passed: update the matrix and the seed)',
        matchers: { statuses: ['failed'], message: /^\s*$/ },
        expand: true,
      },
      {
        id: 'gap-confirmed',
        name: 'Gap confirmed (a DOC-GAP test failed as documented)',
        matchers: { statuses: ['passed'], message: /\S/ },
      },
      {
        id: 'regression',
        name: 'Regression (a TEST scenario failed)',
        matchers: { statuses: ['failed', 'broken'] },
        expand: true,
      },
    ],
  },
};
