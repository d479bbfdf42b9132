// What `faultline check` prints: the full evidence for one file, one verdict line per file for many.
import type { CheckResult, KeyResult } from '../checker/index.ts';

const KEYS_LISTED = 20;
const MARK = { linearizable: '✓', 'not-linearizable': '✗', unknown: '?' } as const;
const LABEL = { linearizable: 'linearizable', 'not-linearizable': 'NOT linearizable', unknown: 'unknown' } as const;

/** The human summary: one line per key (only the interesting ones when there are many), then the evidence. */
export function formatSummary(file: string, result: CheckResult): string {
  const out: string[] = [
    `Checked ${file}: ${result.ops} operations on ${result.keys.length} key${result.keys.length === 1 ? '' : 's'} in ${result.elapsedMs.toFixed(1)} ms`,
    '',
  ];
  const shown = result.keys.length <= KEYS_LISTED ? result.keys : result.keys.filter((k) => k.verdict !== 'linearizable');
  const width = shown.reduce((w, k) => Math.max(w, JSON.stringify(k.key).length), 0);
  for (const k of shown) out.push(keyLine(k, width));
  if (shown.length < result.keys.length) out.push(`  ✓ ${result.keys.length - shown.length} other keys linearizable`);
  for (const k of result.keys) if (k.failure) out.push('', k.failure.message);
  out.push('');
  if (result.lostWrites.length === 0) out.push('Lost acknowledged writes: none (checked against each key\'s final read).');
  else {
    out.push(`Lost acknowledged writes: ${result.lostWrites.length}`);
    for (const l of result.lostWrites) out.push(`  ${l.message.replaceAll('\n', '\n  ')}`);
  }
  out.push('', `Verdict: ${verdictLine(result)}`, '');
  return out.join('\n');
}

/** One line for one file among many: the mark, the verdict and what decided it. */
export function formatVerdictLine(file: string, result: CheckResult): string {
  const size = `${result.ops} operations on ${result.keys.length} key${result.keys.length === 1 ? '' : 's'}, ${result.elapsedMs.toFixed(1)} ms`;
  const failing = result.keys.filter((k) => k.verdict === 'not-linearizable').length;
  const unknown = result.keys.find((k) => k.verdict === 'unknown');
  const why =
    result.verdict === 'not-linearizable'
      ? ` — ${failing} key${failing === 1 ? '' : 's'} not linearizable, ${result.lostWrites.length} lost write${result.lostWrites.length === 1 ? '' : 's'}`
      : result.verdict === 'unknown' && unknown
        ? ` — key ${JSON.stringify(unknown.key)}: ${unknown.reason}`
        : '';
  return `${MARK[result.verdict]} ${file}: ${LABEL[result.verdict]}${why} (${size})`;
}

function keyLine(k: KeyResult, width: number): string {
  const reason = k.reason ? ` — ${k.reason}` : '';
  return `  ${MARK[k.verdict]} ${JSON.stringify(k.key).padEnd(width)}  ${LABEL[k.verdict].padEnd(16)}  ${k.ops} op${k.ops === 1 ? '' : 's'}${reason}`;
}

function verdictLine(result: CheckResult): string {
  switch (result.verdict) {
    case 'linearizable':
      return 'LINEARIZABLE (exit 0)';
    case 'not-linearizable':
      return 'NOT LINEARIZABLE (exit 1)';
    case 'unknown':
      return 'UNKNOWN: a search budget ran out before a verdict; this is not a pass (exit 2)';
  }
}
