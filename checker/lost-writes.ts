// A lost acknowledged write is the anomaly users care about most, so it gets its own plain check and
// message, independent of the search (it still answers when the search runs out of budget).
import type { OpRecord } from './history.ts';
import { describeOp } from './describe-op.ts';
import { describeState, type RegisterState } from './register-model.ts';

/** An acknowledged write that the key's final read neither returned nor could have seen overwritten. */
export interface LostWrite {
  key: string;
  write: OpRecord;
  finalRead: OpRecord;
  message: string;
}

const writtenBy = (op: OpRecord): RegisterState => (op.op === 'delete' ? null : (op.value ?? null));

/**
 * For each key with a final read (the successful get invoked last): every write acknowledged before
 * that read began must be what it returned, or be followed by another write that may have come after it
 * — an acknowledged one, or an info one whose value the final read returned (proof that it applied).
 * Keys without any successful read cannot be checked this way and are skipped.
 */
export function findLostWrites(byKey: ReadonlyMap<string, readonly OpRecord[]>): LostWrite[] {
  const lost: LostWrite[] = [];
  for (const [key, ops] of byKey) {
    const reads = ops.filter((o) => o.op === 'get' && o.outcome === 'ok');
    const finalRead = reads.reduce<OpRecord | undefined>(
      (best, o) => (!best || o.invoke > best.invoke || (o.invoke === best.invoke && o.complete > best.complete) ? o : best),
      undefined,
    );
    if (!finalRead) continue;
    const seen = finalRead.result ?? null;
    const writes = ops.filter((o) => o.op !== 'get' && o.outcome !== 'fail');
    // Only the latest completion among the other acknowledged writes matters, so keep the top two.
    const before = writes.filter((o) => o.invoke <= finalRead.complete);
    const infoSeen = before.some((o) => o.outcome === 'info' && writtenBy(o) === seen);
    let first: OpRecord | undefined;
    let second = -Infinity;
    for (const o of before) {
      if (o.outcome !== 'ok') continue;
      if (!first || o.complete > first.complete) [second, first] = [first?.complete ?? -Infinity, o];
      else second = Math.max(second, o.complete);
    }
    for (const write of writes) {
      if (write.outcome !== 'ok' || write.complete >= finalRead.invoke || writtenBy(write) === seen) continue;
      const latestOther = write === first ? second : (first?.complete ?? -Infinity);
      if (infoSeen || latestOther >= write.invoke) continue;
      lost.push({
        key,
        write,
        finalRead,
        message:
          `Lost write on key ${JSON.stringify(key)}: ${describeState(writtenBy(write))} was acknowledged, ` +
          `yet the final read returned ${describeState(seen)} and no later write could have replaced it.\n` +
          `  write:      ${describeOp(write)}\n  final read: ${describeOp(finalRead)}`,
      });
    }
  }
  return lost;
}
