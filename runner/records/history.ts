// The runner records histories in the checker's format; the type lives with the checker, which reads it.
export type { Attempt, OpKind, OpRecord, Outcome } from '../../checker/history.ts';
