// A Jepsen-style history: one record per client operation, times from the run's monotonic clock; the checker's input.

/** The operations of a key-value register. `cas` swaps `expected` for `value` atomically. */
export type OpKind = 'put' | 'get' | 'delete' | 'cas';

/** ok: happened as reported; fail: certainly had no effect; info: unknown (may have been applied). */
export type Outcome = 'ok' | 'fail' | 'info';

/** One try of an operation against one endpoint; `status` is "OK" or a gRPC code name. */
export interface Attempt {
  n: number;
  start: number;
  end: number;
  endpoint: string;
  status: string;
  error?: string;
  /** Who answered, as the answer stated it (etcd's response header), checked against the node we meant. */
  from?: { cluster?: string; member?: string };
}

/**
 * One client operation. Times are milliseconds from the run's clock origin.
 * put: `value` written. get: `result` is the value read (null = key absent).
 * delete: key becomes absent. cas: when `expected` (null = absent) is current, write `value`;
 * outcome ok = swapped, fail = not swapped (comparison failed or not applied).
 */
export interface OpRecord {
  id: number;
  process: string;
  /** The cluster the operation went to, when the run has several (unset: the column's own). */
  cluster?: string;
  op: OpKind;
  key: string;
  value?: string | null;
  expected?: string | null;
  result?: string | null;
  invoke: number;
  complete: number;
  outcome: Outcome;
  error?: string;
  attempts: Attempt[];
  /** Set when a client under test (not Faultline's) ran the operation: who, and what its links saw. */
  subject?: SubjectRecord;
}

/** The client under test behind an operation, and its connections as the fault proxies saw them. */
export interface SubjectRecord {
  service: string;
  client: string;
  kind: 'command' | 'driver';
  /** Connection attempts on its links (accept times) from its invoke to its completion, ascending. */
  connections: { t: number; link: string; upstreamError?: string }[];
}
