// The seed's ChainFire client policy is the default: 3 retries, 2.0x, 500 ms initial, 30 s max.
import { parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import type { SpecLocation } from './location.ts';
import type { RetryPolicy } from './plan.ts';

/** The seed's policy plus a per-attempt deadline, so a request caught in an election can be retried. */
export const SEED_POLICY: RetryPolicy = {
  retries: 3,
  initialMs: 500,
  multiplier: 2,
  maxMs: 30_000,
  attemptTimeoutMs: 2_000,
};

/** A policy as a spec writes it. */
export interface PolicyOptions {
  retries?: number;
  initial?: Duration;
  multiplier?: number;
  max?: Duration;
  attemptTimeout?: Duration;
}

/** Merges spec options over a base policy, rejecting impossible values. */
export function resolvePolicy(base: RetryPolicy, o: PolicyOptions, loc?: SpecLocation): RetryPolicy {
  if (o.retries !== undefined && (!Number.isInteger(o.retries) || o.retries < 0)) {
    throw new ScenarioError(`retries must be a whole number >= 0, got ${o.retries}.`, 'write e.g. { retries: 3 }.', loc);
  }
  if (o.multiplier !== undefined && !(o.multiplier >= 1)) {
    throw new ScenarioError(`multiplier must be >= 1, got ${o.multiplier}.`, 'write e.g. { multiplier: 2 }.', loc);
  }
  return {
    retries: o.retries ?? base.retries,
    multiplier: o.multiplier ?? base.multiplier,
    initialMs: o.initial === undefined ? base.initialMs : parseDuration(o.initial, 'initial', loc),
    maxMs: o.max === undefined ? base.maxMs : parseDuration(o.max, 'max', loc),
    attemptTimeoutMs:
      o.attemptTimeout === undefined ? base.attemptTimeoutMs : parseDuration(o.attemptTimeout, 'attemptTimeout', loc),
  };
}

/** The pause before retry number `retry` (0-based): initial x multiplier^retry, capped at max. */
export function backoffMs(policy: Pick<RetryPolicy, 'initialMs' | 'multiplier' | 'maxMs'>, retry: number): number {
  return Math.min(policy.initialMs * policy.multiplier ** retry, policy.maxMs);
}
