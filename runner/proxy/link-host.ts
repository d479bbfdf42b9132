// The run's side of the link host: starts the worker that owns the peer gates, and hands out one
// handle per directed link whose faults are applied there and whose records are read from there.
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../time/clock.ts';
import type { Fault } from './faults.ts';
import type { LinkRecords } from './link-records.ts';
import type { GateRequest, HostAnswer, HostRequest, HostWorkerData, LinkState } from './link-host-protocol.ts';
import { ProxyError } from './proxy-error.ts';
import { startTsWorker } from './ts-worker.ts';

type Answer = Extract<HostAnswer, { ok: true }>;
type Request = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A directed peer link living in the host; `records` is as of the host's last `sync()`. */
export class HostedLink {
  private state: LinkState;

  constructor(
    private readonly host: LinkHost,
    readonly name: string,
    readonly target: { host: string; port: number },
    readonly port: number,
  ) {
    this.state = { records: { link: name, listenPort: port, target: { ...target }, connections: [], faults: [] }, fault: null };
  }

  /** What the link recorded, as of the last `LinkHost.sync()` (every reader of peer links syncs first). */
  get records(): LinkRecords {
    return this.state.records;
  }

  /** The fault in effect, as of the last sync or fault change. */
  get fault(): Fault | null {
    return this.state.fault;
  }

  /** Replaces the link's fault; resolves once it is in effect in the host. */
  async setFault(fault: Fault): Promise<void> {
    await this.host.ask({ op: 'setFault', link: this.name, fault });
    await this.host.sync();
  }

  /** Restores normal forwarding. */
  async clearFault(): Promise<void> {
    await this.host.ask({ op: 'clearFault', link: this.name });
    await this.host.sync();
  }

  /** Drops every established connection now; resolves to how many. */
  async cut(): Promise<number> {
    const { count } = await this.host.ask({ op: 'cut', link: this.name });
    return count ?? 0;
  }

  /** The host closes its links together (`LinkHost.close()`). */
  async close(): Promise<void> {}

  /** @internal The host's view of this link. */
  update(state: LinkState): void {
    this.state = state;
  }
}

/** The worker thread owning a run's peer gates; `close()` stops them and the thread. */
export class LinkHost {
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private readonly links = new Map<string, HostedLink>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (answer: HostAnswer) => {
      const p = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (answer.ok) p?.resolve(answer);
      else p?.reject(new ProxyError(`link host: ${answer.message}`));
    });
    const fail = (e: Error) => {
      this.failure = new ProxyError(`the link host (the worker thread owning the peer gates) stopped: ${e.message}. Its links no longer forward; rerun the test.`, { cause: e });
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closing) fail(new ProxyError(`exit code ${code}`));
    });
  }

  /** Starts the worker on the run's clock; resolves once it answers. */
  static async start(clock: Clock): Promise<LinkHost> {
    // The clock's origin on the time line every thread shares (performance.timeOrigin + now()).
    const clockOriginMs = performance.timeOrigin + performance.now() - clock.now();
    const host = new LinkHost(startTsWorker(new URL('./link-host-worker.ts', import.meta.url), { clockOriginMs } satisfies HostWorkerData));
    await host.ask({ op: 'records' });
    return host;
  }

  /** A gate at `gate.port` and a hosted link per dialler (plus the unknown one); resolves once it listens. */
  async gate(gate: GateRequest): Promise<{ port: number; links: HostedLink[] }> {
    const { port } = await this.ask({ op: 'gate', gate });
    const made = [...gate.dialers.map((d) => d.link), gate.unknownLink].map((name) => new HostedLink(this, name, gate.target, port!));
    for (const l of made) this.links.set(l.name, l);
    return { port: port!, links: made };
  }

  /** Brings every hosted link's records and fault up to date. */
  async sync(): Promise<void> {
    if (this.closing) return this.closing;
    this.apply(await this.ask({ op: 'records' }));
  }

  /** Stops every gate and link (their last records are kept), then the worker; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failure) this.apply(await this.ask({ op: 'close' }, true).catch(() => ({ id: 0, ok: true as const })));
      await this.worker.terminate();
    })();
    return this.closing;
  }

  /** @internal One request to the worker and its answer. */
  ask(request: Request, closing = false): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing && !closing) return Promise.reject(new ProxyError('the link host is closed; peer links must be used before the run closes its network.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as HostRequest);
    });
  }

  private apply(answer: Answer): void {
    for (const [name, state] of Object.entries(answer.links ?? {})) this.links.get(name)?.update(state);
  }
}
