// The one matcher registry: each DSL matcher (dsl/expect.ts) paired with its runtime matcher; the DOC-GAP rules
// (runner/doc-gap.ts) and the docs check (test/docs.spec.ts) derive from it. No Playwright import: reporters read it too.
import type { MatcherArgs, MatcherName } from '../../dsl/matcher-args.ts';

/** Runtime matcher names; a name equals its DSL name except where Playwright owns it already (toContain). */
export type RuntimeName = 'toRetry' | 'toSucceed' | 'toFail' | 'toRead' | 'toHaveLeader' | 'toBeConsistent' | 'toHaveNoDataLoss' | 'toReceiveAll' | 'toEnd' | 'toContainLogLine' | 'toSeeRetries' | 'toRetryAsClaimed' | 'toRetryAsClientClaims';

/**
 * One DSL matcher: its name, its runtime matcher, and — for a matcher whose failure cannot show a connectivity gap — what
 * it checks instead. Its recorded arguments are `MatcherArgs[M]` (dsl/matcher-args.ts): the DSL writes them, the runner reads them.
 */
export interface MatcherEntry<M extends MatcherName = MatcherName> {
  dsl: M;
  runtime: RuntimeName;
  checksInstead?: string;
}

/** The arguments a DSL matcher records, by its name. */
export type ArgsOf<M extends MatcherName> = MatcherArgs[M];

/** Every DSL matcher, keyed by its name (a name missing here, or unknown to dsl/matcher-args.ts, does not compile), in the order docs/dsl.md lists them. */
const ENTRIES: { readonly [M in MatcherName]: Omit<MatcherEntry<M>, 'dsl'> } = {
  toSucceed: { runtime: 'toSucceed' },
  toFail: { runtime: 'toFail', checksInstead: 'that an operation fails with a clear error' },
  toRetry: { runtime: 'toRetry' },
  toRead: { runtime: 'toRead' },
  toHaveLeader: { runtime: 'toHaveLeader', checksInstead: 'that the cluster has a leader' },
  toHaveNoDataLoss: { runtime: 'toHaveNoDataLoss', checksInstead: 'that no acknowledged write was lost' },
  toBeConsistent: { runtime: 'toBeConsistent', checksInstead: 'that the history is linearizable' },
  toReceiveAll: { runtime: 'toReceiveAll' },
  toEnd: { runtime: 'toEnd' },
  // Playwright's own toContain stays usable on strings and arrays: the log matcher runs under another name.
  toContain: { runtime: 'toContainLogLine', checksInstead: "a node's log" },
  toSeeRetries: { runtime: 'toSeeRetries' },
  toRetryAsClaimed: { runtime: 'toRetryAsClaimed', checksInstead: 'that servers retry their peers as the service claims' },
  toRetryAsClientClaims: { runtime: 'toRetryAsClientClaims' },
};

/** The registry as a list, one entry per DSL matcher. */
export const MATCHERS: readonly MatcherEntry[] = (Object.keys(ENTRIES) as MatcherName[]).map((dsl) => ({ dsl, ...ENTRIES[dsl] }));

/** The registry entry of a DSL matcher name. */
export function matcherByDsl<M extends MatcherName>(name: M): MatcherEntry<M> {
  return { dsl: name, ...ENTRIES[name] };
}

/** The registry entry of a runtime matcher name (as Playwright names an ExpectError's matcherResult), if it is ours. */
export function matcherByRuntime(name: string): MatcherEntry | undefined {
  return MATCHERS.find((m) => m.runtime === name);
}
