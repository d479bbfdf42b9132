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
  /** What the fault measurably did while in force, read at its end from the system's side. */
  effect?: FaultEffect;
}

/**
 * What a loss did (read just before restore() removed it): the packets its rules saw and dropped, from the
 * kernel's own rule counters, and what the node's TCP retransmitted, from its own sockets' tcp_info.
 */
export interface LossEffect {
  kind: 'loss';
  node: string;
  percent: string;
  /** Packets the node sent (its uid): how many passed the loss rule, and how many it dropped. */
  sent: { packets: number; dropped: number };
  /** Packets sent to the node's ports. */
  received: { packets: number; dropped: number };
  /**
   * What TCP retransmitted on each member's own sockets (its uid), the lossy node first: its peers retransmit what
   * the loss dropped on its way in. Over the sockets open at the end (a socket closed meanwhile is not counted).
   */
  retransmitted: { node: string; segments: number; bytes: number; sockets: number }[];
}

/** Every kind of measured fault effect. */
export type FaultEffect = LossEffect;
