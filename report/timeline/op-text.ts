// The words for one operation: a short label for its bar, and a tooltip with everything the record holds.
import type { OpRecord } from '../../runner/records/history.ts';
import { formatDuration, formatTick } from './scale.ts';

/** What fits inside a bar: "put k=v", "get k → v", "delete k", "cas k v1→v2"; a failed or unknown one adds its last error. */
export function opLabel(r: OpRecord): string {
  const last = r.attempts[r.attempts.length - 1];
  const cause = r.outcome === 'ok' || !last ? '' : `  ${r.outcome === 'fail' ? '✗' : '?'} ${last.status}${last.error ? `: ${last.error.split('\n')[0]}` : ''}`;
  return `${opWords(r)}${cause}`;
}

function opWords(r: OpRecord): string {
  const v = (x: string | null | undefined) => (x === null || x === undefined ? '∅' : x);
  if (r.op === 'put') return `put ${r.key}=${v(r.value)}`;
  if (r.op === 'get') return r.outcome === 'ok' ? `get ${r.key} → ${v(r.result)}` : `get ${r.key}`;
  if (r.op === 'cas') return `cas ${r.key} ${v(r.expected)}→${v(r.value)}`;
  return `${r.op} ${r.key}`;
}

/** The tooltip: op, key, value, outcome, times, error and every attempt with its status. */
export function opTooltip(r: OpRecord): string {
  const q = (x: string | null | undefined) => (x === null || x === undefined ? 'absent' : JSON.stringify(x));
  const what = [`#${r.id} ${r.op} ${JSON.stringify(r.key)}`];
  if (r.op === 'put' || r.op === 'cas') what.push(`value ${q(r.value)}`);
  if (r.op === 'cas') what.push(`expected ${q(r.expected)}`);
  if (r.op === 'get' && r.outcome === 'ok') what.push(`read ${q(r.result)}`);
  const lines = [
    `${what.join(', ')} → ${r.outcome}${r.outcome === 'info' ? ' (outcome unknown: may have been applied)' : ''}`,
    `${r.process}: invoked ${formatTick(r.invoke)}, completed ${formatTick(r.complete)} (${formatDuration(r.complete - r.invoke)})`,
  ];
  if (r.error) lines.push(`error: ${r.error.split('\n')[0]}`);
  lines.push(`attempts (${r.attempts.length}):`);
  for (const a of r.attempts) {
    lines.push(`  #${a.n} ${a.endpoint} at +${formatDuration(a.start - r.invoke)}, took ${formatDuration(a.end - a.start)}: ${a.status}${a.error ? ` ${a.error}` : ''}`);
  }
  return lines.join('\n');
}
