// `expect(subject)` in a scenario body records an assertion step; the runner checks it later.
import { formatMs, parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation, type SpecLocation } from './location.ts';
import type { Subject } from './plan.ts';
import { ClientHandle, OpHandle, WatchHandle } from './client-handle.ts';
import { ClusterHandle, clusterLabel } from './cluster-handle.ts';
import { LinkHandle, linkLabel, LogHandle } from './node-handle.ts';
import type { ExpectCall, MatcherArgs, MatcherName, ToFailArgs, ToRetryArgs } from './matcher-args.ts';
import type { Recorder } from './recorder.ts';
import { opTitle, targetLabel } from './titles.ts';

/** How many retries `toRetry` accepts: exactly n, or a range. */
export type RetryCount = number | { min?: number; max?: number };

/** The backoff shape `toRetry` checks; defaults come from the client's policy. */
export interface BackoffShape {
  initial?: Duration;
  multiplier?: number;
  max?: Duration;
  /** Allowed relative deviation of each pause, 0.2 = ±20 % (plus 50 ms for timers). */
  tolerance?: number;
}

export type { ToFailArgs, ToRetryArgs } from './matcher-args.ts';

type Kind = Subject['kind'];

/** One recording method per DSL matcher (dsl/matcher-args.ts): a matcher without one, or one without arguments listed, does not compile. */
type Recorders = { [M in MatcherName]: (...args: never[]) => void };

/** Records expectations for one subject. */
export class ExpectRecorder implements Recorders {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    private readonly subject: Subject,
    private readonly label: string,
    private readonly clientLabel = label,
  ) {}

  /**
   * The operation retried `count` times with exponential spacing.
   * @example expect(client).toRetry(3, { initial: '500ms', multiplier: 2 })
   */
  toRetry(count: RetryCount, shape: BackoffShape = {}): void {
    this.record('toRetry', ['op', 'client'], (loc) => {
      const [min, max] = typeof count === 'number' ? [count, count] : [count?.min ?? 0, count?.max ?? Infinity];
      if (!(Number.isInteger(min) && min >= 0 && (max === Infinity || (Number.isInteger(max) && max >= min)))) {
        throw new ScenarioError(`toRetry() takes a whole number of retries >= 0 or { min, max }, got ${JSON.stringify(count)}.`, 'write e.g. toRetry(3) or toRetry({ min: 1, max: 3 }).', loc);
      }
      const tolerance = shape.tolerance ?? 0.2;
      const args: ToRetryArgs = {
        min,
        max,
        tolerance,
        multiplier: shape.multiplier,
        initialMs: shape.initial === undefined ? undefined : parseDuration(shape.initial, 'toRetry({ initial })', loc),
        maxMs: shape.max === undefined ? undefined : parseDuration(shape.max, 'toRetry({ max })', loc),
      };
      const times = min === max ? `${min} times` : max === Infinity ? `at least ${min} times` : `${min} to ${max} times`;
      const backoff = args.initialMs === undefined ? '' : ` (backoff ${formatMs(args.initialMs)} × ${args.multiplier ?? 'policy'})`;
      return { args: [args], title: `to retry ${times}${backoff}` };
    });
  }

  /**
   * The operation's client under test retried as its own documentation claims (its service's
   * "clients.<name>.claims"): its reported tries against the retry claim, the connections its links
   * saw against the reconnect claim, each gap within `tolerance` plus the client's own jitter. Judges
   * only a client under test: Faultline's own client is the observer, whose policy Faultline sets.
   * @example expect(c.put('k', 'v').background()).toRetryAsClientClaims()
   */
  toRetryAsClientClaims(options: { tolerance?: number } = {}): void {
    this.record('toRetryAsClientClaims', ['op', 'client'], (loc) => {
      const client = this.subject.kind === 'op' ? this.subject.op.client : this.subject.kind === 'client' ? this.subject.client : undefined;
      if (!client?.under) {
        throw new ScenarioError(`toRetryAsClientClaims() judges the service's own client under test, but ${this.label} goes through Faultline's own client (the observer, whose policy Faultline sets: that check could not fail).`, "issue the operation with client.underTest() (or client.using('<name>')), e.g. const c = client.to(cluster.node(1)).underTest().", loc);
      }
      const tolerance = options.tolerance ?? 0.25;
      return { args: [{ tolerance }], title: `to retry as its own client claims (±${Math.round(tolerance * 100)} % + its jitter)` };
    });
  }

  /** The operation succeeded (after any retries). @example expect(op).toSucceed() */
  toSucceed(): void {
    this.record('toSucceed', ['op', 'client'], () => ({ args: [], title: 'to succeed' }));
  }

  /**
   * The operation failed with a clear final error (operation, endpoints, attempts, cause).
   * @example expect(op).toFail({ message: /request timed out|ECONNREFUSED/ })
   */
  toFail(options: { message?: string | RegExp } = {}): void {
    this.record('toFail', ['op', 'client'], () => {
      const m = options.message;
      const args: ToFailArgs = { message: m instanceof RegExp ? { source: m.source, flags: m.flags } : m };
      return { args: [args], title: m === undefined ? 'to fail with a clear error' : `to fail with ${String(m)}` };
    });
  }

  /** A read through this client returns `value` (null: the key is absent). @example expect(client).toRead('k', 'v1') */
  toRead(key: string, value: string | null): void {
    this.record('toRead', ['client'], () => ({ args: [key, value], title: `to read ${JSON.stringify(key)} = ${JSON.stringify(value)}` }));
  }

  /**
   * The watch delivered every acknowledged write under its prefix once, in revision order (checked
   * against the history), within the time given.
   * @example expect(w).toReceiveAll({ within: '10s' })
   */
  toReceiveAll(options: { within?: Duration } = {}): void {
    this.record('toReceiveAll', ['watch'], (loc) => {
      const withinMs = parseDuration(options.within ?? '10s', 'toReceiveAll({ within })', loc);
      return { args: [withinMs], title: `to receive every acknowledged write in order within ${formatMs(withinMs)}` };
    });
  }

  /**
   * The watch stream ended by itself (terminated, or its process exited) and did not come back.
   * @example expect(w).toEnd({ within: '5s' })
   */
  toEnd(options: { within?: Duration } = {}): void {
    this.record('toEnd', ['watch'], (loc) => {
      const withinMs = parseDuration(options.within ?? '5s', 'toEnd({ within })', loc);
      return { args: [withinMs], title: `to end by itself within ${formatMs(withinMs)} and not come back` };
    });
  }

  /**
   * A log line matching `pattern` appears within the time given, counted from the last fault
   * (kill, SIGTERM, pause, block, partition) before this step — the seed's "logs 'Reconnected to PD'
   * within 10-20 s". Before any fault, counted from the start of the last cluster started.
   * @example expect(cluster.node(1).log).toContain(/Reconnected to PD/, { within: '20s' })
   */
  toContain(pattern: string | RegExp, options: { within?: Duration } = {}): void {
    this.record('toContain', ['log'], (loc) => {
      const withinMs = parseDuration(options.within ?? '10s', 'toContain({ within })', loc);
      const p = pattern instanceof RegExp ? { source: pattern.source, flags: pattern.flags } : pattern;
      // The runner counts from the last fault, or before any fault from the last cluster start.
      const faulted = this.rec.steps.some((st) => (st.kind === 'node' && st.verb !== 'start' && st.verb !== 'resume') || (st.kind === 'net' && st.verb !== 'unblock') || (st.kind === 'node.fault' && !st.heals) || st.kind === 'partition' || st.kind === 'link.fault');
      return { args: [p, withinMs], title: `to contain ${String(pattern instanceof RegExp ? pattern : JSON.stringify(pattern))} within ${formatMs(withinMs)} of ${faulted ? 'the last fault' : 'the cluster start'}` };
    });
  }

  /**
   * Connection attempts seen on the link — from a client Faultline does not control — are spaced as
   * an exponential backoff. Counted from the link's last fault (or the last fault of the run).
   * @example expect(proxy.linkTo(leader)).toSeeRetries({ min: 2 }, { initial: '1s', multiplier: 1.6, tolerance: 0.25 })
   */
  toSeeRetries(count: RetryCount, shape: BackoffShape & { within?: Duration } = {}): void {
    this.record('toSeeRetries', ['link'], (loc) => {
      const [min, max] = typeof count === 'number' ? [count, count] : [count?.min ?? 0, count?.max ?? Infinity];
      const args: ToRetryArgs & { withinMs: number } = {
        min,
        max,
        tolerance: shape.tolerance ?? 0.2,
        multiplier: shape.multiplier,
        initialMs: shape.initial === undefined ? undefined : parseDuration(shape.initial, 'toSeeRetries({ initial })', loc),
        maxMs: shape.max === undefined ? undefined : parseDuration(shape.max, 'toSeeRetries({ max })', loc),
        withinMs: parseDuration(shape.within ?? '10s', 'toSeeRetries({ within })', loc),
      };
      const times = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      return { args: [args], title: `to see ${times} reconnect attempts${args.initialMs === undefined ? '' : ` (backoff ${formatMs(args.initialMs)} × ${args.multiplier ?? 2})`}` };
    });
  }

  /**
   * A server's retries to its peers follow what the service claims (its definition's `claims.peer`,
   * cited from its source or the plan): judged per directed link, on the dials its gate saw and on the
   * dialler's own log lines, over `within` from the link's last fault. Both figures go to the evidence.
   * `view: 'log'` judges the dialler's log lines alone and starts no gate: for a fault no gate sees (the
   * seed's iptables rule drops a dial before any process gets it). `atLeast` attempts per retry loop
   * are required (default: 4 for a claim without limit, 2 otherwise; 1 where the first redial succeeds).
   * @example expect(cluster.leader().peerLinks().incoming()).toRetryAsClaimed({ within: '3s' })
   * @example expect(leader.peerLinks().incoming()).toRetryAsClaimed({ within: '8s', view: 'log', atLeast: 1 })
   */
  toRetryAsClaimed(options: { within?: Duration; tolerance?: number; quorum?: number; view?: 'gate and log' | 'log'; atLeast?: number } = {}): void {
    this.record('toRetryAsClaimed', ['link'], (loc) => {
      const withinMs = parseDuration(options.within ?? '3s', 'toRetryAsClaimed({ within })', loc);
      const quorum = options.quorum ?? 0.8;
      if (!(quorum > 0 && quorum <= 1)) throw new ScenarioError(`toRetryAsClaimed({ quorum }) is the share of gaps that must match, in (0, 1], got ${quorum}.`, 'write e.g. { quorum: 0.8 }.', loc);
      const view = options.view ?? 'gate and log';
      if (view !== 'gate and log' && view !== 'log') throw new ScenarioError(`toRetryAsClaimed({ view }) is "gate and log" or "log", got ${JSON.stringify(view)}.`, "write { view: 'log' } to judge the servers' own log lines alone.", loc);
      const atLeast = options.atLeast;
      if (atLeast !== undefined && !(Number.isInteger(atLeast) && atLeast >= 1)) throw new ScenarioError(`toRetryAsClaimed({ atLeast }) is a whole number of attempts per retry loop, at least 1, got ${atLeast}.`, 'write e.g. { atLeast: 1 }.', loc);
      const by = view === 'log' ? ', by their own log lines' : '';
      return { args: [{ withinMs, tolerance: options.tolerance ?? 0.5, slackMs: 30, quorum, view, ...(atLeast !== undefined ? { atLeast } : {}) }], title: `to retry as the service claims${by} (over ${formatMs(withinMs)})` };
    });
  }

  /** The cluster has a leader within the time given. @example expect(cluster).toHaveLeader({ within: '5s' }) */
  toHaveLeader(options: { within?: Duration } = {}): void {
    this.record('toHaveLeader', ['cluster'], (loc) => {
      const withinMs = parseDuration(options.within ?? '5s', 'toHaveLeader({ within })', loc);
      return { args: [withinMs], title: `to have a leader within ${formatMs(withinMs)}` };
    });
  }

  /** Every acknowledged write is still readable from every running node. @example expect(cluster).toHaveNoDataLoss() */
  toHaveNoDataLoss(): void {
    this.record('toHaveNoDataLoss', ['cluster'], () => ({ args: [], title: 'to have lost no acknowledged write' }));
  }

  /**
   * The whole history (final reads through every running node included) is linearizable and no
   * acknowledged write is lost. @example expect(cluster).toBeConsistent()
   */
  toBeConsistent(): void {
    this.record('toBeConsistent', ['cluster'], () => ({ args: [], title: 'to be consistent (linearizable, no lost write)' }));
  }

  private record<M extends MatcherName>(matcher: M, kinds: Kind[], build: (loc?: SpecLocation) => { args: MatcherArgs[M]; title: string }): void {
    const location = callerLocation();
    this.rec.guard(() => {
      if (!kinds.includes(this.subject.kind)) {
        const want = kinds.map((k) => (k === 'op' ? 'an operation' : k === 'watch' ? 'a watch' : k === 'log' ? 'a node log' : k === 'link' ? 'a link' : `the ${k}`)).join(' or ');
        throw new ScenarioError(`${matcher}() applies to ${want}, not to ${this.label}.`, `write expect(${kinds[0] === 'cluster' ? 'cluster' : kinds[0] === 'watch' ? 'w' : 'client'}).${matcher}(...)${kinds[0] === 'watch' ? " with w = client.watch('prefix/')" : ''}.`, location);
      }
      if (this.subject.kind === 'client' && matcher !== 'toRead' && !this.subject.op) {
        throw new ScenarioError(`${matcher}() checks the client's last operation, but ${this.label} has issued none yet.`, 'issue an operation first, e.g. client.put(\'k\', \'v\'), then expect(client).' + matcher + '().', location);
      }
      const { args, title } = build(location);
      const label = matcher === 'toRead' ? this.clientLabel : this.label;
      // One matcher with its own arguments: TypeScript cannot pair a generic M with the union's member by itself.
      this.rec.add({ kind: 'expect', subject: this.subject, ...({ matcher, args } as ExpectCall), title: `expect ${label} ${title}`, location });
    });
  }
}

/** Builds `expect` for one recording. */
export function makeExpect(rec: Recorder): (subject: unknown) => ExpectRecorder {
  return (subject: unknown) => {
    if (subject instanceof OpHandle) return new ExpectRecorder(rec, { kind: 'op', op: subject.ref }, opTitle(subject.ref));
    if (subject instanceof ClientHandle) {
      const op = rec.lastOp.get(subject.ref.id);
      const label = op ? opTitle(op) : subject.ref.name;
      return new ExpectRecorder(rec, { kind: 'client', client: subject.ref, op }, label, subject.ref.name);
    }
    if (subject instanceof ClusterHandle) return new ExpectRecorder(rec, { kind: 'cluster', ...subject.scope() }, clusterLabel(subject.key));
    if (subject instanceof LinkHandle) return new ExpectRecorder(rec, { kind: 'link', link: subject.ref }, linkLabel(subject.ref));
    if (subject instanceof LogHandle) return new ExpectRecorder(rec, { kind: 'log', target: subject.target }, `the log of ${targetLabel(subject.target)}`);
    if (subject instanceof WatchHandle) return new ExpectRecorder(rec, { kind: 'watch', watch: subject.spec }, `the ${subject.spec.using} watch on ${JSON.stringify(subject.spec.prefix)}`);
    const problem = new ScenarioError(
      `expect() takes the cluster, a client or an operation of this scenario, got ${typeof subject === 'object' ? 'an object' : JSON.stringify(subject)}.`,
      'write expect(cluster), expect(client) or expect(client.put(...)).',
      callerLocation(),
    );
    rec.problems.push(problem);
    return new ExpectRecorder(rec, { kind: 'cluster' }, 'an unknown subject');
  };
}
