// The step wrapper of every fault: injects it, records a typed start and end on the run's clock, and
// keeps the faults in force so a heal verb ends exactly the ones it names.
import type { Fault, FaultHost, FaultTarget } from './fault.ts';
import type { FaultEffect, FaultEnd, FaultStart } from './fault-records.ts';
import { NothingToHealError } from './fault-errors.ts';

type Body<T> = T extends unknown ? Omit<T, 't'> : never;

/** A fault in force: its start record, the node its verb named, and how to end it. */
interface InForce {
  start: Body<FaultStart>;
  /** The node or link ("from→to") the fault's verb named: its heal verb names the same. */
  on?: string;
  healedBy: readonly string[];
  heal(): Promise<FaultEffect | void>;
}

/** Where the records go (the run's event log) and whose clock reads `now`. */
export interface FaultSink {
  emit(record: Body<FaultStart> | Body<FaultEnd>): void;
}

/** One run's fault records and the faults still in force. */
export class FaultLedger {
  private nextId = 1;
  private readonly inForce: InForce[] = [];

  constructor(
    private readonly host: FaultHost,
    private readonly sink: FaultSink,
  ) {}

  /** The step title, resolved once, naming the node and the backend really used. */
  title<P>(fault: Fault<P>, target: FaultTarget, params: P, planTitle: string): string {
    return fault.title?.(target, params, this.host) ?? planTitle;
  }

  /**
   * Runs one fault step: an action (start, resume) runs unrecorded; a heal verb ends the faults in force that
   * it heals; any other fault is injected and recorded, start and end around the step or, when it holds, until healed.
   * Returns the end records this step wrote for held faults it healed (with what each measurably did).
   */
  async apply<P>(fault: Fault<P>, target: FaultTarget, params: P, title: string): Promise<Body<FaultEnd>[]> {
    if (fault.role === 'heal') return this.heal(fault.name, target, title, fault.nothingToHeal?.(target) ?? `Cannot ${fault.name}: nothing it heals is in force.`);
    if (fault.role === 'action') {
      await fault.inject(target, params, this.host);
      return [];
    }
    const id = this.nextId++;
    const startFields = { id, fault: fault.name, title, nodes: target.node ? [target.node] : (target.groups?.flat() ?? []) };
    // An instant fault (kill, SIGTERM) is in force while it runs: its start comes before the signal.
    let started: Body<FaultStart> | undefined;
    if (!fault.holds) this.sink.emit((started = { kind: 'fault.start', ...startFields, holds: false, detail: title, ...(fault.signal ? { signal: fault.signal } : {}), ...(fault.mark ? { mark: fault.mark } : {}) }));
    const done = await fault.inject(target, params, this.host);
    if (!fault.holds || !done) {
      if (started) this.sink.emit({ kind: 'fault.end', ...startFields, nodes: started.nodes, detail: title });
      return [];
    }
    const { holds, ...shown } = done;
    const start: Body<FaultStart> = { kind: 'fault.start', ...startFields, ...shown, holds: true };
    this.sink.emit(start);
    if (holds) this.inForce.push({ start, on: targetKey(target), healedBy: holds.healedBy, heal: holds.heal });
    return [];
  }

  /** Faults still in force (for a teardown that must not leave any behind, and for tests). */
  get active(): readonly Body<FaultStart>[] {
    return this.inForce.map((f) => f.start);
  }

  private async heal(verb: string, target: FaultTarget, title: string, nothing: string): Promise<Body<FaultEnd>[]> {
    const on = targetKey(target);
    const ending = this.inForce.filter((f) => f.healedBy.includes(verb) && (on === undefined || f.on === on));
    if (!ending.length) throw new NothingToHealError(nothing, { verb, node: target.node });
    const ended: Body<FaultEnd>[] = [];
    // Newest first: a block placed after a loss is lifted before it.
    for (const f of ending.reverse()) {
      const effect = await f.heal();
      this.inForce.splice(this.inForce.indexOf(f), 1);
      const { id, fault, nodes } = f.start;
      const end: Body<FaultEnd> = { kind: 'fault.end', id, fault, title: f.start.title, nodes, healedBy: verb, detail: title, ...(effect ? { effect } : {}) };
      this.sink.emit(end);
      ended.push(end);
    }
    return ended;
  }
}

/** A node's name, or a link as "from→to"; undefined for a cluster-wide verb. */
function targetKey(target: FaultTarget): string | undefined {
  if (target.links) return target.links.map((l) => `${l.from}→${l.to}`).join(',');
  return target.link ? `${target.link.from}→${target.link.to}` : target.node;
}
