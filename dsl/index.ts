// The DSL's public surface: what a spec imports (through faultline.ts).
export { definePlan, activeRecorder, type ScenarioOptions, type ScenarioContext } from './scenario.ts';
export { makeExpect, type ExpectRecorder, type ToRetryArgs, type ToFailArgs } from './expect.ts';
export { parseDuration, formatMs, type Duration } from './duration.ts';
export { FaultlineError, ScenarioError, didYouMean } from './errors.ts';
export { SEED_POLICY, backoffMs, resolvePolicy } from './policy.ts';
export { SERVICE_NAMES, MATRIX_STATUSES, type ServiceName, type MatrixStatus } from './services.ts';
export { formatLocation, type SpecLocation } from './location.ts';
export type * from './plan.ts';
export * from './titles.ts';
