// What a fault is (after etcd's robustness Failpoint): a name, what it needs, a title resolved at the
// step, and inject() returning what was done; the step wrapper records it (see record-fault.ts).
import type { LinkFault } from '../../dsl/plan.ts';
import type { FaultEffect, LaneEffect } from './fault-records.ts';

/** Whom a fault acts on, resolved at the step: a node (with its label as titles print it), a cluster's groups, or a link. */
export interface FaultTarget {
  /** The resolved node, e.g. "node-2". */
  node?: string;
  /** How titles name it: "node-2 (leader)". */
  label?: string;
  /** Partition sides, as node names. */
  groups?: string[][];
  /** A proxied link, by its ends' names. */
  link?: { from: string; to: string };
  /** Several directed peer links faulted as one (a node's incoming or outgoing peer links). */
  links?: { from: string; to: string }[];
}

/** Packets and bytes one firewall rule matched (the kernel's counter). */
export interface RuleCount {
  packets: number;
  bytes: number;
}

/** One TCP socket's retransmissions since it opened, as the kernel counts them. */
export interface SocketRetransmitCount {
  socket: string;
  segments: number;
  bytes: number;
}

/** A node as faults see it: its listening ports and, when it runs under its own user, its uid. */
export interface FaultNode {
  ports: number[];
  uid?: number;
}

/**
 * The narrow surface faults act through (the run adapts itself to it): node processes, the run's
 * firewall chains and the fault proxies. Faults never see the whole run.
 */
export interface FaultHost {
  /** The node's ports and uid. */
  node(name: string): FaultNode;
  /** The other nodes of the node's cluster. */
  peersOf(name: string): string[];
  /** How a partition of this node is enforced where it is not the local owner match (nodes on SSH hosts), for titles. */
  partitionRule?(name: string): string | undefined;
  /** The seed's signal faults and restarts, through the node's process (see cluster.ts). */
  process: {
    kill(name: string): Promise<void>;
    term(name: string): Promise<void>;
    pause(name: string): void;
    resume(name: string): void;
    start(name: string): Promise<void>;
    restart(name: string): Promise<void>;
  };
  network: FaultNetwork;
}

/** The network mechanisms of one run (runner/network.ts). */
export interface FaultNetwork {
  blockInbound(node: string, ports: number[], backend: 'iptables' | 'proxy'): Promise<void>;
  unblockInbound(node: string, backend: 'iptables' | 'proxy'): Promise<void>;
  /** Cuts every pair of nodes in different groups, both directions; heal() ends it. */
  partition(groups: string[][]): Promise<void>;
  healPartition(): Promise<void>;
  /** Adds rules (after `-A <chain>`) to the run's OUTPUT-path chain under `key`; removeRules(key) deletes exactly them. */
  addRules(key: string, rules: string[][]): Promise<void>;
  removeRules(key: string): Promise<void>;
  /** The kernel's counters of the rules added under `key`, in their order (read before removeRules). */
  ruleCounters(key: string): Promise<RuleCount[]>;
  /** The TCP sockets owned by `uid` with what each retransmitted (`ss -tie`): the system's own retrying. */
  tcpRetransmits(uid: number): Promise<SocketRetransmitCount[]>;
  linkFault(from: string, to: string, fault: LinkFault): Promise<void>;
  linkHeal(from: string, to: string): Promise<void>;
}

/** Why a fault cannot run on this machine, and how to make it run: checked before any process starts. */
export interface Unavailable {
  reason: string;
  fix: string;
}

/** How the cluster must start for a fault, and whether the machine can run it at all. */
export interface FaultNeeds {
  /** Nodes run under their own uids, so iptables' owner match tells their packets apart. */
  perNodeUsers?: boolean;
  /** The clients' links go through fault proxies from the start. */
  proxyClientLinks?: boolean;
  unavailable?: Unavailable;
}

/** What an injection did, as the record shows it; `heal` undoes a fault that holds. */
export interface Injected {
  /** The nodes it covers (for lanes and bands). */
  nodes: string[];
  /** Short text for the timeline's fault row and the evidence. */
  detail: string;
  backend?: string;
  lane?: LaneEffect;
  signal?: NodeJS.Signals;
  /** How the plan names the signal on a lane, e.g. "kill -9" for SIGKILL. */
  mark?: string;
  link?: string;
  /** Present when the fault stays in force: the verbs that end it, and how (returning what it measurably did, if it measures). */
  holds?: { healedBy: readonly string[]; heal(): Promise<FaultEffect | void> };
}

/**
 * One kind of fault. `P` is its typed parameters as the plan recorded them. A fault's name is its DSL
 * verb; its title names the node and the backend really used, resolved once at the step.
 */
export interface Fault<P = unknown> {
  readonly name: string;
  /** 'action': runs unrecorded (start, resume); 'heal': ends the faults in force whose `healedBy` names this verb. */
  readonly role?: 'action' | 'heal';
  /** True when the fault stays in force until healed (its inject returns `holds`); else it lasts its step. */
  readonly holds?: boolean;
  /** An instant signal fault's signal, and how the plan names it on a lane ("kill -9"). */
  readonly signal?: NodeJS.Signals;
  readonly mark?: string;
  /** A heal verb's error when nothing it heals is in force (rule and fix). */
  nothingToHeal?(target: FaultTarget): string;
  /** Start options and machine capabilities the fault needs; read before any process starts. */
  needs?(params: P): FaultNeeds;
  /** The step title; unset: the plan's own title. */
  title?(target: FaultTarget, params: P, host: FaultHost): string;
  inject(target: FaultTarget, params: P, host: FaultHost): Promise<Injected | void>;
}

/** Declares a fault with its parameter type checked at the definition. */
export function defineFault<P>(fault: Fault<P>): Fault<P> {
  return fault;
}
