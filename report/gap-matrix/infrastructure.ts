// Errors that mean the machine, not the service, failed: a node never became ready, a binary is
// missing. Shared by the gap matrix and (copied, with a test keeping them equal) allurerc.mjs.

/** Matches the message of an infrastructure failure (see runner/process/process-errors.ts). */
export const INFRASTRUCTURE_PATTERN = /ReadinessTimeoutError|NodeProcessError|EnvironmentError|not reached after|Could not start/;

/** Whether any of these error messages is an infrastructure failure. */
export function isInfrastructureFailure(errors: readonly string[]): boolean {
  return errors.some((e) => INFRASTRUCTURE_PATTERN.test(e));
}
