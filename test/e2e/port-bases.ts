// Where the child runs started by the project's own tests begin looking for ports. Runs cannot meet
// anyway (every port is locked for its run, runner/ports.ts); distinct bases only spare them from
// scanning past each other's ports. All below Linux's ephemeral range (32768 and up by default), where
// an outgoing connection could take a port between our probe and etcd's bind.
export const PORT_BASES = {
  deliberatelyFailing: 21000,
  planError: 21800,
  matrixStatuses: 22600,
  listOnly: 23400,
  specsSuite: 24200,
  runnerSigkill: 25000,
  runnerSigint: 25800,
  workerCrash: 26600,
  testTimeout: 27400,
  blockedSigkill: 28200,
  docsExamples: 29000,
  /** 4 workers: 1600 ports. */
  parallelSafety: 29800,
  reportScreenshots: 31400,
  /** Below the parent's workers: 17000-17799. */
  topology: 17000,
  /** Below the parent's workers: 18800-19599. */
  etcdctlWorkerCrash: 18800,
  /** Below the parent's workers: 17800-18599. */
  docGap: 17800,
  /** Below the parent's workers: 16200-16999. */
  peerLinks: 16200,
  /** Below the parent's workers: 15400-16199. */
  testLocations: 15400,
  /** Shared ON PURPOSE by two child runs at once (one worker each), which must still never meet: 19600-19999. */
  twoRuns: 19600,
  /** Below the parent's workers: 13000-13799 (it met peerLinks at 16200 when both landed on main). */
  daemonizing: 13000,
  /** Below the parent's workers: 14600-15399. */
  daemonizingKill: 14600,
  /** Below the parent's workers: 13800-14599. */
  s3Sigkill: 13800,
  /** Below the parent's workers: 11000-11799 — the whole run's 2 workers, then shard 1/2 and 2/2 (1 worker each) at once. */
  shards: 11000,
} as const;

/** Ports one child run may use: workers × 400 from its base. */
export function childRange(base: number, workers = 2): [number, number] {
  return [base, base + workers * 400 - 1];
}
