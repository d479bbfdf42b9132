// Errors that mean the machine, not the service, failed: a node never became ready, a binary is missing.
// Allure's categories can only match messages by a regex, so this one lives here for allurerc.mjs (copied,
// a test keeping them equal); the gap matrix reads the runner's typed `infrastructure` record instead.

/** Matches the message of an infrastructure failure (runner/process/process-errors.ts infrastructureCause tells them by class). */
export const INFRASTRUCTURE_PATTERN = /ReadinessTimeoutError|NodeProcessError|EnvironmentError|not reached after|Could not start/;
