// Allure 3 configuration (read by `allure generate`): the report's name and categories.
export default {
  name: 'Faultline — T040.S4 Service Reconnection',
  output: './allure-report',
  categories: {
    rules: [
      { name: 'Infrastructure (a node never became ready, a binary is missing)', messageRegex: '.*(ReadinessTimeoutError|NodeProcessError|EnvironmentError|not reached after|Could not start).*', matchedStatuses: ['failed', 'broken'] },
      { name: 'Plan errors (the spec cannot run as written)', messageRegex: '.*Fix: .*', matchedStatuses: ['failed', 'broken'] },
      { name: 'Regression (a TEST scenario failed)', matchedStatuses: ['failed'] },
    ],
  },
};
