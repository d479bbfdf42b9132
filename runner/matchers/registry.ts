// The one matcher registry: each DSL matcher (dsl/expect.ts) paired with its runtime matcher; the DOC-GAP rules
// (runner/doc-gap.ts) and the docs check (test/docs.spec.ts) derive from it. No Playwright import: reporters read it too.

/** Runtime matcher names; a name equals its DSL name except where Playwright owns it already (toContain). */
export type RuntimeName = 'toRetry' | 'toSucceed' | 'toFail' | 'toRead' | 'toHaveLeader' | 'toBeConsistent' | 'toHaveNoDataLoss' | 'toReceiveAll' | 'toEnd' | 'toContainLogLine' | 'toSeeRetries' | 'toRetryAsClaimed' | 'toRetryAsClientClaims';

/** One DSL matcher: its runtime matcher, and — for a matcher whose failure cannot show a connectivity gap — what it checks instead. */
export interface MatcherEntry {
  dsl: string;
  runtime: RuntimeName;
  checksInstead?: string;
}

/** The registry, one entry per DSL matcher (dsl/expect.ts), in the order docs/dsl.md lists them. */
export const MATCHERS: readonly MatcherEntry[] = [
  { dsl: 'toSucceed', runtime: 'toSucceed' },
  { dsl: 'toFail', runtime: 'toFail', checksInstead: 'that an operation fails with a clear error' },
  { dsl: 'toRetry', runtime: 'toRetry' },
  { dsl: 'toRead', runtime: 'toRead' },
  { dsl: 'toHaveLeader', runtime: 'toHaveLeader', checksInstead: 'that the cluster has a leader' },
  { dsl: 'toHaveNoDataLoss', runtime: 'toHaveNoDataLoss', checksInstead: 'that no acknowledged write was lost' },
  { dsl: 'toBeConsistent', runtime: 'toBeConsistent', checksInstead: 'that the history is linearizable' },
  { dsl: 'toReceiveAll', runtime: 'toReceiveAll' },
  { dsl: 'toEnd', runtime: 'toEnd' },
  // Playwright's own toContain stays usable on strings and arrays: the log matcher runs under another name.
  { dsl: 'toContain', runtime: 'toContainLogLine', checksInstead: "a node's log" },
  { dsl: 'toSeeRetries', runtime: 'toSeeRetries' },
  { dsl: 'toRetryAsClaimed', runtime: 'toRetryAsClaimed', checksInstead: "that servers retry their peers as the service claims" },
  { dsl: 'toRetryAsClientClaims', runtime: 'toRetryAsClientClaims' },
];

/** The registry entry of a runtime matcher name (as Playwright names an ExpectError's matcherResult), if it is ours. */
export function matcherByRuntime(name: string): MatcherEntry | undefined {
  return MATCHERS.find((m) => m.runtime === name);
}
