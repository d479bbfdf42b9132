// What toRetryAsClaimed judges: both views of one directed peer link (its gate's dials, the dialler's log lines).

/** One attempt: when (run clock), which retry loop ("series"), and what became of it. */
export interface PeerAttempt {
  t: number;
  series: string;
  outcome: string;
  line?: string;
}

/** Both views of one directed link after a fault. */
export interface PeerRetryObservation {
  link: string;
  fromMs: number;
  fromWhat: string;
  /** Undefined when no gate stood on the link (judged by the log alone). */
  dials?: PeerAttempt[];
  /** Undefined when the service's definition has no retry line pattern. */
  logLines?: PeerAttempt[];
  /** Set when the log patterns are stand-ins, not read from the real server. */
  standIn?: string;
}
