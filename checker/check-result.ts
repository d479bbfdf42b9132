// The shape of a check's answer, shared by the API, the CLI's --json output and the docs.
import type { OpRecord } from './history.ts';
import type { LostWrite } from './lost-writes.ts';

/** "unknown" means the search budget ran out: never to be read as a pass. */
export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

/** Why a key failed, small enough to read: the earliest failing cut and the operations that conflict. */
export interface KeyFailure {
  /** The history of this key up to this time (ms) cannot be linearised; up to any earlier time it can. */
  until: number;
  /** Ids of the operations invoked by `until`: the smallest failing prefix. */
  prefix: number[];
  /** The few operations that are impossible together (a subset of the prefix). */
  ops: OpRecord[];
  /** False when a search budget cut the shrinking of `ops` short; they still fail together. */
  minimal: boolean;
  message: string;
}

/** The verdict for one key; keys are independent registers (P-compositionality). */
export interface KeyResult {
  key: string;
  verdict: Verdict;
  /** Operations recorded on this key, including failed ones. */
  ops: number;
  /** (linearised set, state) pairs the search visited. */
  states: number;
  failure?: KeyFailure;
  /** Set for "unknown": which budget ran out and how to raise it. */
  reason?: string;
}

/** The whole answer: one verdict, per-key detail, and acknowledged writes that vanished. */
export interface CheckResult {
  /** not-linearizable if any key fails or any write is lost; else unknown if any key is unknown. */
  verdict: Verdict;
  ops: number;
  keys: KeyResult[];
  lostWrites: LostWrite[];
  elapsedMs: number;
}
