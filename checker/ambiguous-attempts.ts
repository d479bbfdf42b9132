// A client that retries a write sends it more than once. An attempt that ended without an answer
// (timeout, dropped connection) may still be applied later — even after a later attempt succeeded
// and after other clients' writes. Measured on etcd behind a dropped port: a write's first attempt
// timed out, its retry succeeded, and the first attempt was applied ~1 s later, over a newer write.
// The register model must allow that, so each such attempt becomes its own "info" write.
import type { OpRecord } from './history.ts';

const ANSWERED = new Set(['OK']);

/** True when an attempt may have reached the server without its answer reaching the client. */
export function ambiguous(status: string, error = ''): boolean {
  if (ANSWERED.has(status)) return false;
  return !(status === 'UNAVAILABLE' && /ECONNREFUSED|No connection established|connect ECONN|Failed to connect/i.test(error));
}

/**
 * The history with every ambiguous earlier attempt of an acknowledged write added as an info write of
 * the same value, invoked when that attempt started. Failed/info operations already allow late effects.
 */
export function withAmbiguousAttempts(history: readonly OpRecord[]): OpRecord[] {
  // A loop, not Math.max(...ids): spreading a whole history into one call overflows the stack.
  let nextId = 0;
  for (const r of history) if (r.id >= nextId) nextId = r.id + 1;
  const extra: OpRecord[] = [];
  for (const r of history) {
    if (r.op === 'get' || r.outcome !== 'ok') continue;
    for (const a of r.attempts.slice(0, -1)) {
      if (!ambiguous(a.status, a.error)) continue;
      extra.push({ ...r, id: nextId++, process: `${r.process}#attempt${a.n}`, invoke: a.start, complete: a.end, outcome: 'info', attempts: [a] });
    }
  }
  return [...history, ...extra];
}
