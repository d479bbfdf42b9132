// The header: the test's title, what the run contains, and the checker's verdict as a coloured badge.
import type { OpRecord } from '../../runner/records/history.ts';
import { describeWorkloadStats, type WorkloadStats } from '../../runner/records/workload-stats.ts';
import { formatTick } from './scale.ts';
import { el, join, labelled, tooltip, type Svg } from './svg.ts';
import { fit, MUTED, RIGHT, TEXT, textWidth, WIDTH } from './theme.ts';
import type { TimelineVerdict } from './timeline-input.ts';

const VERDICT_COLOUR = { ok: '#2f9e44', fail: '#e03131', unknown: '#868e96' };

const SATURATED = '#e8590c';
const WORKLOAD_LINE = 16;

/** Title line, summary line, one line per workload (asked vs achieved, latencies, saturation) and badge; 62 px tall plus 16 px per workload. */
export function renderHeader(title: string, nodes: number, history: readonly OpRecord[], faults: number, end: number, verdict?: TimelineVerdict, workloads: readonly WorkloadStats[] = []): { svg: Svg; height: number } {
  const kind = !verdict ? 'unknown' : verdict.ok === true ? 'ok' : verdict.ok === false ? 'fail' : 'unknown';
  const mark = kind === 'ok' ? '✓' : kind === 'fail' ? '✗' : '?';
  const label = fit(`${mark} ${verdict?.text ?? 'not checked'}`, 520, 13);
  const badgeW = textWidth(label, 13) + 16;
  const badgeX = WIDTH - RIGHT - badgeW;
  const count = (o: string) => history.filter((r) => r.outcome === o).length;
  const summary = [
    `${nodes} node${nodes === 1 ? '' : 's'}`,
    `${history.length} operation${history.length === 1 ? '' : 's'} (${count('ok')} ok, ${count('fail')} fail, ${count('info')} info)`,
    `${faults} network fault${faults === 1 ? '' : 's'}`,
    `time axis 0 – ${formatTick(end)} on the run's monotonic clock`,
  ].join('  ·  ');
  const svg = join([
    labelled('title', title, badgeX - 32, { x: 16, y: 28, 'font-size': 18, 'font-weight': 'bold', fill: TEXT }),
    el('text', { class: 'summary', x: 16, y: 50, 'font-size': 12, fill: MUTED }, summary),
    ...workloads.map((w, i) => {
      const text = `workload ${w.id}: ${w.saturated ? `${w.saturated.short} — ` : ''}${describeWorkloadStats(w)}`;
      return labelled(`workload${w.saturated ? ' saturated' : ''}`, text, WIDTH - 32, { x: 16, y: 66 + i * WORKLOAD_LINE, 'font-size': 12, fill: w.saturated ? SATURATED : MUTED, 'data-workload': w.id });
    }),
    el(
      'g',
      { class: `verdict verdict-${kind}`, 'data-verdict': kind },
      tooltip(`checker verdict: ${verdict?.text ?? 'not checked'}`),
      el('rect', { x: badgeX, y: 12, width: badgeW, height: 24, rx: 12, fill: VERDICT_COLOUR[kind] }),
      el('text', { x: badgeX + badgeW / 2, y: 29, 'font-size': 13, 'font-weight': 'bold', fill: '#ffffff', 'text-anchor': 'middle' }, label),
    ),
  ]);
  return { svg, height: 62 + workloads.length * WORKLOAD_LINE };
}
