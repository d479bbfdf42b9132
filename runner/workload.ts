// A background workload: sequential client processes (one operation at a time each, as in Jepsen)
// issuing reads and writes of unique values over a few keys, paced to a total rate.
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkloadSpec } from '../dsl/plan.ts';
import type { Clock } from './time/clock.ts';
import type { OpRecord } from './records/history.ts';
import type { Endpoint, KvOperation } from './contract/service.ts';
import { describeWorkloadStats, workloadStats, type WorkloadStats } from './records/workload-stats.ts';

/**
 * What a workload may do with its run (and no more, as testcontainers hands out a narrow StartedTestContainer):
 * read the clock, note its start and stop, and issue recorded operations through the plan's client.
 */
export interface WorkloadHost {
  readonly clock: Clock;
  note(kind: 'workload.start', detail: string): void;
  /** The workload ended: what it did against what it was asked. */
  ended(stats: WorkloadStats, detail: string): void;
  /** The client's endpoints, in failover order. */
  endpoints(): Promise<Endpoint[]>;
  /** One operation through the plan's client and its policy, recorded in the history. */
  issue(op: KvOperation, process: string, endpoints: Endpoint[]): Promise<OpRecord>;
}

/** A started workload; `stop()` resolves when every client finished its current operation. */
export class RunningWorkload {
  private stopping = false;
  private readonly done: Promise<void>;
  private readonly records: OpRecord[] = [];
  issued = 0;
  /** Asked vs achieved rate and latencies, once every client has finished. */
  stats?: WorkloadStats;

  constructor(
    readonly spec: WorkloadSpec,
    private readonly run: WorkloadHost,
  ) {
    const startedAt = run.clock.now();
    const until = spec.forMs === undefined ? Infinity : startedAt + spec.forMs;
    const perClientGapMs = (1000 * spec.clients) / spec.rate;
    run.note('workload.start', `${spec.clients} clients, ${spec.rate} ops/s, ${spec.keys} keys`);
    this.done = Promise.all(Array.from({ length: spec.clients }, (_, i) => this.client(i, startedAt + (i * perClientGapMs) / spec.clients, perClientGapMs, until))).then(() => {
      const stats = (this.stats = workloadStats(spec, this.records, startedAt, run.clock.now()));
      run.ended(stats, `${describeWorkloadStats(stats)}${stats.saturated ? ` — ${stats.saturated.hint}` : ''}`);
    });
  }

  /** Asks the clients to stop and waits for their last operations. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  /** Lets a workload with a duration run to its end; stops one without. */
  async finish(): Promise<void> {
    if (this.spec.forMs === undefined) this.stopping = true;
    await this.done;
  }

  private async client(index: number, firstAt: number, gapMs: number, until: number): Promise<void> {
    const process = `w${this.spec.id}-c${index + 1}`;
    // Each client starts at a different endpoint, as clients of a real service would.
    const all = await this.run.endpoints();
    const endpoints = all.map((_, j) => all[(j + index) % all.length]!);
    let seq = 0;
    for (let next = firstAt; !this.stopping && next < until; next += gapMs) {
      const delay = next - this.run.clock.now();
      if (delay > 0) await sleep(delay);
      if (this.stopping || this.run.clock.now() >= until) break;
      const op = this.pick(`${process}-${++seq}`);
      this.issued++;
      this.records.push(await this.run.issue(op, process, endpoints));
      // A slow operation (retries) must not cause a burst of catch-up operations afterwards.
      next = Math.max(next, this.run.clock.now() - gapMs);
    }
  }

  private pick(value: string): KvOperation {
    const key = `w${this.spec.id}/k${Math.floor(Math.random() * this.spec.keys)}`;
    const r = Math.random();
    if (r < this.spec.mix.put) return { op: 'put', key, value };
    if (r < this.spec.mix.put + this.spec.mix.get) return { op: 'get', key };
    return { op: 'delete', key };
  }
}
