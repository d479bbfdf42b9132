// A server's claimed retry policy as configuration writes it ("initial": "100ms") turned into the form
// the matchers compare with a run: checked before any process starts, each error naming the field.
import { parseDuration } from '../../dsl/duration.ts';
import { ScenarioError } from '../../dsl/errors.ts';
import type { PeerRetryClaim } from '../../runner/contract/service.ts';
import type { ServerClaimInput } from './service-config.ts';

/** Reports one problem at `field`: the rule broken and the fix. */
export type ClaimFail = (field: string, rule: string, fix: string) => never;

/** The claim in milliseconds; a duration that does not parse, or a claim that could never be met, fails at `field`. */
export function serverClaim(input: ServerClaimInput, field: string, fail: ClaimFail): PeerRetryClaim {
  const ms = (v: string, at: string) => {
    try {
      return parseDuration(v, at);
    } catch (e) {
      if (e instanceof ScenarioError) return fail(at, e.rule, e.fix);
      throw e;
    }
  };
  const initialMs = ms(input.initial, `${field}.initial`);
  const maxMs = ms(input.max, `${field}.max`);
  if (maxMs < initialMs) fail(`${field}.max`, `the longest pause (${input.max}) is shorter than the first (${input.initial}).`, 'write the cap the source states, at least "initial".');
  if (!(input.multiplier >= 1)) fail(`${field}.multiplier`, `a backoff multiplier is at least 1, got ${input.multiplier}.`, 'write 1 for a steady loop, or the growth factor the source states (e.g. 1.6).');
  if (input.jitter !== undefined && !(input.jitter >= 0 && input.jitter < 1)) fail(`${field}.jitter`, `jitter is a share of each pause in [0, 1), got ${input.jitter}.`, 'write e.g. 0.2 for ±20 %.');
  if (typeof input.retries === 'number' && !(input.retries >= 0)) fail(`${field}.retries`, `retries are 0 or more, or "unbounded", got ${input.retries}.`, 'write the count the source states.');
  return {
    what: input.what,
    source: input.source,
    initialMs,
    multiplier: input.multiplier,
    maxMs,
    retries: input.retries,
    ...(input.jitter !== undefined ? { jitter: input.jitter } : {}),
    ...(input.atMostEvery !== undefined ? { atMostEvery: input.atMostEvery } : {}),
    ...(input.series ? { series: input.series } : {}),
  };
}
