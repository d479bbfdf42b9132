// Typed fault records (after etcd's report/failpoint.go): a start and an end paired by id, on the run's clock.

/** How a fault changes the lanes of the nodes it covers while in force (none: it only draws a band). */
export type LaneEffect = 'blocked' | 'partitioned' | 'degraded';

/** What every fault record carries: its id pairs a start with its end; `nodes` are the nodes it covers. */
export interface FaultFields {
  /** One id per injection, shared by its start and end records. */
  id: number;
  /** The fault's DSL name, e.g. "kill", "block", "loss". */
  fault: string;
  /** The step title, resolved once at the step (names the node and the backend really used). */
  title: string;
  nodes: string[];
}

/** A fault in force from this record until its 'fault.end' (a held fault) or for the step alone (an instant one). */
export interface FaultStart extends FaultFields {
  kind: 'fault.start';
  /** True when the fault stays in force until a heal verb ends it (block, partition, loss, pause, a link fault). */
  holds: boolean;
  lane?: LaneEffect;
  /** The signal the fault sends and how the plan names it ("SIGKILL" is the plan's "kill -9"). */
  signal?: NodeJS.Signals;
  mark?: string;
  /** The mechanism really used, e.g. "iptables" or "proxy". */
  backend?: string;
  /** For a link fault: "from→to". */
  link?: string;
  /** Short text for the timeline's fault row. */
  detail: string;
}

/** The end of one fault record (same id), written when the instant fault returned or a heal verb ended it. */
export interface FaultEnd extends FaultFields {
  kind: 'fault.end';
  /** The verb that ended it ("unblock", "restore", "heal", "resume"); unset for an instant fault. */
  healedBy?: string;
  detail: string;
}
