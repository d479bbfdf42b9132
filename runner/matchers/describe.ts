// Shared wording of records in matcher messages.
import type { OpRecord } from '../records/history.ts';

/** `put "k" = "v2" (op 7, outcome info)` */
export function describeOp(r: OpRecord): string {
  const value = r.op === 'put' ? ` = ${JSON.stringify(r.value)}` : '';
  return `${r.op} ${JSON.stringify(r.key)}${value} (op ${r.id}, ${r.attempts.length} attempt(s), outcome ${r.outcome})`;
}
