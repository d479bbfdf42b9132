// Optional writes (info, or unanswered at a cut) are what make linearizability checking blow up;
// two exact rewrites remove most of them before the search starts.
import type { KeyOp } from './key-op.ts';
import type { RegisterState } from './register-model.ts';

/**
 * Rewrites a key's operations into an equivalent, easier history:
 * - an optional write whose value nobody observes (no read returns it, no cas expects it) is dropped:
 *   in any valid order, the next operation after it overwrites it blindly, so removing it changes nothing;
 * - an optional write of a value no other write produces (and not the initial value) that some answered
 *   operation observed must have taken effect before that observer returned: it becomes a normal
 *   operation ending at the earliest such return.
 */
export function reduceOptional(ops: readonly KeyOp[], initial: RegisterState): KeyOp[] {
  const observed = new Set<string | null>();
  const deadline = new Map<string | null, number>();
  const writers = new Map<string | null, number>();
  for (const op of ops) {
    const seen = op.kind === 'get' ? op.result : op.kind === 'cas' ? op.expected : undefined;
    if (seen !== undefined) {
      observed.add(seen);
      if (!op.optional) deadline.set(seen, Math.min(deadline.get(seen) ?? Infinity, op.complete));
    }
    if (op.kind !== 'get') writers.set(op.value, (writers.get(op.value) ?? 0) + 1);
  }
  const out: KeyOp[] = [];
  for (const op of ops) {
    if (!op.optional || op.kind === 'get') {
      out.push(op);
      continue;
    }
    if (!observed.has(op.value)) continue;
    const by = deadline.get(op.value) ?? Infinity;
    const unique = op.value !== null && op.value !== initial && writers.get(op.value) === 1;
    out.push(unique && by >= op.invoke && by < Infinity ? { ...op, complete: by, optional: false } : op);
  }
  return out;
}
