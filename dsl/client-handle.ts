// Clients as a scenario body sees them: operations, watches, pinned endpoints, policies.
import { ScenarioError } from './errors.ts';
import { callerLocation } from './location.ts';
import type { ClientRef, OpRef, PlanStep, RetryPolicy, WatchClientKind, WatchSpec } from './plan.ts';
import { resolvePolicy, SEED_POLICY, type PolicyOptions } from './policy.ts';
import type { Recorder } from './recorder.ts';
import type { NodeHandle } from './node-handle.ts';
import { opTitle, targetLabel } from './titles.ts';

/** A watch opened by the plan: expect(w).toReceiveAll() / toEnd(). */
export class WatchHandle {
  /** @internal */
  constructor(readonly spec: WatchSpec) {}
}

/** A recorded operation; `.background()` lets faults happen while it retries. */
export class OpHandle {
  /** @internal */
  constructor(
    private readonly step: Extract<PlanStep, { kind: 'op' }>,
  ) {}

  /** The operation's plan data. */
  get ref(): OpRef {
    return this.step.op;
  }

  /** Runs the operation in the background; later steps go on while it retries. */
  background(): this {
    this.step.background = true;
    this.step.title += ' (in the background)';
    return this;
  }
}

/** A key-value client with a retry policy; every attempt it makes is recorded. */
export class ClientHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly ref: ClientRef,
  ) {}

  /** Writes `value` at `key`. @example client.put('k', 'v1') */
  put(key: string, value: string): OpHandle {
    return this.op('put', key, value);
  }
  /** Reads `key`. */
  get(key: string): OpHandle {
    return this.op('get', key);
  }
  /** Deletes `key`. */
  delete(key: string): OpHandle {
    return this.op('delete', key);
  }

  /**
   * Opens a watch on a key prefix in the background: with this handle's client under test (see
   * `underTest()` / `using()`), a configured client by name, or `'faultline'` — the observer's own gRPC
   * watch (no reconnect), which decides no cell.
   * @example const w = client.to(cluster.node(1)).using('etcd3').watch('s5/')
   */
  watch(prefix: string, options: { using?: WatchClientKind } = {}): WatchHandle {
    const location = callerLocation();
    const using = options.using ?? this.ref.under ?? 'faultline';
    if (typeof using !== 'string' || using === '') {
      this.rec.problems.push(new ScenarioError(`watch({ using }) takes the name of a client under test, '*' or 'faultline', got ${JSON.stringify(using)}.`, "write e.g. client.watch('s5/', { using: 'etcd3' }), or client.underTest().watch('s5/').", location));
    }
    const spec: WatchSpec = { id: this.rec.id(), prefix, using, client: this.ref };
    const via = this.ref.name === 'client' || this.ref.under ? '' : ` via ${this.ref.name}`;
    this.rec.add({ kind: 'watch.start', watch: spec, title: `watch ${JSON.stringify(prefix)} with ${subjectLabel(using)}${via} (in the background)`, location });
    return new WatchHandle(spec);
  }

  /**
   * The same endpoints, driven by the service's own client under test — the first one its configuration
   * names ("clients" in docs/services.md). A column whose service configures none is skipped with that reason.
   * @example const c = client.to(cluster.node(1)).underTest(); const w = c.put('k', 'v').background()
   */
  underTest(): ClientHandle {
    return this.using('*');
  }

  /**
   * A client that talks only to the given nodes (in order, failing over on retry).
   * @example const c = client.to(cluster.node(1))
   */
  to(...nodes: NodeHandle[]): ClientHandle {
    const name = `client(${nodes.map((n) => targetLabel(n.target)).join(', ')})`;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), name, endpoints: nodes.map((n) => n.target) });
  }

  /**
   * The same endpoints, driven by a real client under test that retries by itself (its own policy):
   * `'etcdctl'` (a process per operation, retries read from its log) or `'etcd3'` (the npm library).
   * @example const ctl = client.to(cluster.node(1)).using('etcdctl'); ctl.put('k', 'v')
   */
  using(clientUnderTest: string): ClientHandle {
    if (typeof clientUnderTest !== 'string' || !clientUnderTest) {
      this.rec.problems.push(new ScenarioError(`using() takes the name of a client under test, got ${JSON.stringify(clientUnderTest)}.`, "write e.g. client.using('etcdctl').", callerLocation()));
    }
    const where = this.ref.endpoints === 'all' ? '' : `(${this.ref.endpoints.map(targetLabel).join(', ')})`;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), under: clientUnderTest, name: `${clientUnderTest === '*' ? `the client under test${where ? ' ' : ''}` : clientUnderTest}${where}` });
  }

  /**
   * The same client with another retry policy.
   * @example client.withPolicy({ retries: 5, initial: '100ms', attemptTimeout: '1s' })
   */
  withPolicy(options: PolicyOptions): ClientHandle {
    const location = callerLocation();
    const policy: RetryPolicy = this.rec.guard(() => resolvePolicy(this.ref.policy, options, location)) ?? this.ref.policy;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), policy });
  }

  private op(op: OpRef['op'], key: string, value?: string): OpHandle {
    const location = callerLocation();
    if (typeof key !== 'string' || key === '' || (op === 'put' && typeof value !== 'string')) {
      this.rec.problems.push(
        new ScenarioError(`client.${op}() needs a non-empty string key${op === 'put' ? ' and a string value' : ''}.`, `write e.g. client.${op}('k'${op === 'put' ? ", 'v1'" : ''}).`, location),
      );
    }
    const ref: OpRef = { id: this.rec.id(), client: this.ref, op, key, value };
    const step: Extract<PlanStep, { kind: 'op' }> = { kind: 'op', op: ref, background: false, checked: false, title: opTitle(ref), location };
    this.rec.add(step);
    this.rec.lastOp.set(this.ref.id, ref);
    return new OpHandle(step);
  }
}

/** How a watch's client reads in a title. */
function subjectLabel(using: string): string {
  return using === 'faultline' ? "Faultline's watch client (the observer's)" : using === '*' ? "the service's client under test" : using;
}

/** The default client: all of the cluster's endpoints, the seed's policy. */
export function defaultClient(rec: Recorder): ClientHandle {
  return new ClientHandle(rec, { id: rec.id(), name: 'client', endpoints: 'all', policy: SEED_POLICY });
}

/** A client handle for a given reference (e.g. another cluster's default client). */
export function clientOf(rec: Recorder, ref: ClientRef): ClientHandle {
  return new ClientHandle(rec, ref);
}
