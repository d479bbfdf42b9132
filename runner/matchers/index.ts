// Faultline's matchers as Playwright expect.extend matchers, so failures read like Playwright's.
import { expect as base } from '@playwright/test';
import { toRetry } from './to-retry.ts';
import { toFail, toRead, toSucceed } from './to-succeed.ts';
import { toHaveLeader } from './to-have-leader.ts';
import { toBeConsistent, toHaveNoDataLoss } from './to-be-consistent.ts';
import { toEnd, toReceiveAll } from './to-receive-all.ts';
import { toContainLogLine } from './to-contain-log.ts';
import { toSeeRetries } from './to-see-retries.ts';
import { toRetryAsClaimed } from './to-retry-as-claimed.ts';
import { toRetryAsClientClaims } from './to-retry-as-client-claims.ts';
import type { RuntimeName } from './registry.ts';

export { MATCHERS, matcherByRuntime, type MatcherEntry, type RuntimeName } from './registry.ts';

/** Runtime matchers by name: exactly the registry's runtime names (checked by the type). */
const RUNTIME = { toRetry, toSucceed, toFail, toRead, toHaveLeader, toBeConsistent, toHaveNoDataLoss, toReceiveAll, toEnd, toContainLogLine, toSeeRetries, toRetryAsClaimed, toRetryAsClientClaims } satisfies Record<RuntimeName, unknown>;

/** Playwright's expect with Faultline's record matchers. */
export const faultlineExpect = base.extend(RUNTIME);
