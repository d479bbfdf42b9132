// What each expectation records in the plan, by its DSL name: one type the DSL writes (dsl/expect.ts), the
// registry pairs with its runtime matcher (runner/matchers/registry.ts) and the runner reads (runner/expect-step.ts).

/** Parsed arguments of toRetry, as stored in the plan. */
export interface ToRetryArgs {
  min: number;
  max: number;
  initialMs?: number;
  multiplier?: number;
  maxMs?: number;
  tolerance: number;
}

/** Parsed arguments of toFail. */
export interface ToFailArgs {
  message?: string | { source: string; flags: string };
}

/** Parsed arguments of toRetryAsClaimed: the window, the tolerance per gap, timer slack, the share of gaps that must match. */
export interface ToRetryAsClaimedArgs {
  withinMs: number;
  tolerance: number;
  slackMs: number;
  quorum: number;
}

/** A log pattern as the plan keeps it: a string to find, or a RegExp's source and flags. */
export type LogPattern = string | { source: string; flags: string };

/** Every DSL matcher's recorded arguments. A matcher not listed here cannot be recorded. */
export interface MatcherArgs {
  toSucceed: [];
  toFail: [ToFailArgs];
  toRetry: [ToRetryArgs];
  toRead: [key: string, value: string | null];
  toHaveLeader: [withinMs: number];
  toHaveNoDataLoss: [];
  toBeConsistent: [];
  toReceiveAll: [withinMs: number];
  toEnd: [withinMs: number];
  toContain: [pattern: LogPattern, withinMs: number];
  toSeeRetries: [ToRetryArgs & { withinMs: number }];
  toRetryAsClaimed: [ToRetryAsClaimedArgs];
  toRetryAsClientClaims: [{ tolerance: number }];
}

/** A DSL matcher name. */
export type MatcherName = keyof MatcherArgs;

/** One recorded expectation: its matcher and that matcher's arguments (narrowed together by `matcher`). */
export type ExpectCall = { [M in MatcherName]: { matcher: M; args: MatcherArgs[M] } }[MatcherName];
