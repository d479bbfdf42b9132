// Faultline's matchers as Playwright expect.extend matchers, so failures read like Playwright's.
import { expect as base } from '@playwright/test';
import { toRetry } from './to-retry.ts';
import { toFail, toHaveRead, toSucceed } from './to-succeed.ts';
import { toHaveLeader } from './to-have-leader.ts';
import { toBeLinearizable, toHaveLostNothing } from './to-be-consistent.ts';
import { toEnd, toReceiveAll } from './to-receive-all.ts';
import { toContainLogLine } from './to-contain-log.ts';
import { toSeeRetries } from './to-see-retries.ts';
import { toRetryAsClaimed } from './to-retry-as-claimed.ts';

/** Playwright's expect with Faultline's record matchers. */
export const faultlineExpect = base.extend({ toRetry, toSucceed, toFail, toHaveRead, toHaveLeader, toBeLinearizable, toHaveLostNothing, toReceiveAll, toEnd, toContainLogLine, toSeeRetries, toRetryAsClaimed });
