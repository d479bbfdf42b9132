// The checker's CheckResult as the header badge's words: pass only when linearizable with no lost write.
import type { CheckResult } from '../../checker/check-result.ts';
import type { TimelineVerdict } from './timeline-input.ts';

/** "linearizable, no lost write" (green), "not linearizable: …" (red), "unknown: …" (grey). */
export function verdictFromCheck(result: CheckResult): TimelineVerdict {
  const lost = result.lostWrites.length;
  const lostText = lost ? `${lost} lost write${lost === 1 ? '' : 's'}` : 'no lost write';
  const failing = result.keys.filter((k) => k.verdict === 'not-linearizable').map((k) => JSON.stringify(k.key));
  if (result.verdict === 'linearizable') return { text: `linearizable, ${lostText} (${result.ops} ops)`, ok: true };
  if (result.verdict === 'not-linearizable') {
    const keys = failing.length ? `key${failing.length === 1 ? '' : 's'} ${failing.slice(0, 3).join(', ')}${failing.length > 3 ? ', …' : ''}` : 'history';
    return { text: `not linearizable: ${keys}; ${lostText}`, ok: false };
  }
  const reason = result.keys.find((k) => k.verdict === 'unknown')?.reason;
  return { text: `unknown (not a pass)${reason ? `: ${reason}` : ''}; ${lostText}`, ok: 'unknown' };
}
