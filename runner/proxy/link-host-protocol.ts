// The messages between the run and its link host (a worker thread that owns the peer gates and links).
// Why one file: both sides must agree on every shape, and a type checker reads both against it.
import type { Fault } from './faults.ts';
import type { LinkRecords } from './link-records.ts';

/** One gate in front of a member's advertised peer port, and the links of its diallers. */
export interface GateRequest {
  /** The member behind the gate, e.g. "node-2". */
  node: string;
  /** The advertised port; 0 picks one (benches). */
  port: number;
  target: { host: string; port: number };
  /** Each known dialler's uid and the name of its link, e.g. { uid: 61001, link: "node-1→node-2" }. */
  dialers: { uid: number; link: string }[];
  /** The link of dials no known member made, e.g. "unknown→node-2". */
  unknownLink: string;
}

/** What the run asks of the host; `id` pairs each request with its answer. */
export type HostRequest =
  | { id: number; op: 'gate'; gate: GateRequest }
  | { id: number; op: 'setFault'; link: string; fault: Fault }
  | { id: number; op: 'clearFault'; link: string }
  | { id: number; op: 'cut'; link: string }
  | { id: number; op: 'records' }
  | { id: number; op: 'close' };

/** A link's state as the host last saw it. */
export interface LinkState {
  records: LinkRecords;
  fault: Fault | null;
}

/** The host's answer: a result, or the error's message (the run raises it as a ProxyError). */
export type HostAnswer =
  | { id: number; ok: true; port?: number; count?: number; links?: Record<string, LinkState> }
  | { id: number; ok: false; message: string };

/** What the worker is started with: where the run's clock starts, on the shared wall-clock-based time line. */
export interface HostWorkerData {
  /** performance.timeOrigin + performance.now() at the run clock's origin, in the run's thread. */
  clockOriginMs: number;
}
