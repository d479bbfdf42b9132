// One row per client process: each operation a bar from invoke to complete, coloured by outcome,
// with its attempts as thin strips inside so the backoff gaps between them show.
import type { OpRecord } from '../../runner/records/history.ts';
import { opLabel, opTooltip } from './op-text.ts';
import { packTracks } from './pack-tracks.ts';
import type { TimeScale } from './scale.ts';
import { el, join, labelled, tooltip, type Svg } from './svg.ts';
import { ATTEMPT_COLOUR, fit, LEFT, MUTED, OUTCOME_COLOUR, OUTCOME_TEXT, TEXT } from './theme.ts';

const BAR = 16;
const TRACK = BAR + 3;
const MIN_BAR = 3;
const PAD = 5;

/** Client rows from `top`, in order of each process's first operation; returns their height. */
export function renderOps(history: readonly OpRecord[], scale: TimeScale, top: number): { svg: Svg; height: number } {
  const byProcess = new Map<string, OpRecord[]>();
  for (const r of [...history].sort((a, b) => a.invoke - b.invoke || a.id - b.id)) {
    byProcess.set(r.process, [...(byProcess.get(r.process) ?? []), r]);
  }
  const parts: Svg[] = [];
  let y = top;
  let i = 0;
  for (const [process, ops] of byProcess) {
    const row = renderProcess(process, ops, scale, y, i++);
    parts.push(row.svg);
    y += row.height;
  }
  if (!byProcess.size) parts.push(el('text', { x: LEFT, y: y + 14, 'font-size': 12, fill: MUTED }, 'no client operations'));
  return { svg: el('g', { class: 'clients' }, join(parts)), height: Math.max(y - top, 22) };
}

function renderProcess(process: string, ops: OpRecord[], scale: TimeScale, top: number, index: number): { svg: Svg; height: number } {
  const extents = ops.map((r) => {
    const x0 = scale.x(r.invoke);
    return { x0, x1: Math.max(scale.x(r.complete), x0 + MIN_BAR) };
  });
  const { track, tracks } = packTracks(extents, 2);
  const height = Math.max(tracks * TRACK + PAD * 2, 36);
  const parts: Array<Svg | undefined> = [
    index % 2 ? el('rect', { x: 0, y: top, width: scale.left + scale.width + 40, height: height - 2, fill: MUTED, 'fill-opacity': 0.06 }) : undefined,
    labelled('client-label', process, LEFT - 24, { x: 16, y: top + PAD + 12, 'font-size': 12, 'font-weight': 'bold', fill: TEXT }),
    el('text', { x: 16, y: top + PAD + 25, 'font-size': 10, fill: MUTED }, `${ops.length} op${ops.length === 1 ? '' : 's'}`),
  ];
  ops.forEach((r, i) => parts.push(renderOp(r, scale, extents[i]!, top + PAD + track[i]! * TRACK)));
  return { svg: el('g', { class: 'client', 'data-process': process }, join(parts)), height };
}

function renderOp(r: OpRecord, scale: TimeScale, { x0, x1 }: { x0: number; x1: number }, y: number): Svg {
  const w = x1 - x0;
  const label = w >= 30 ? fit(opLabel(r), w - 6, 10) : '';
  const attempts = r.attempts.map((a) => {
    const ax = scale.x(a.start);
    const ok = a.status === 'OK';
    return el('rect', {
      class: `attempt attempt-${ok ? 'ok' : 'error'}`,
      'data-n': a.n,
      'data-status': a.status,
      x: ax,
      y: y + BAR - (ok ? 4 : 5),
      width: Math.max(scale.x(a.end) - ax, ok ? 1.5 : 4),
      height: ok ? 3 : 5,
      fill: ok ? ATTEMPT_COLOUR.ok : ATTEMPT_COLOUR.error,
      // In a sliver of a bar a white strip only blurs the outcome colour; an error strip always shows.
      'fill-opacity': ok ? (w < 6 ? 0.3 : 0.75) : 0.9,
    });
  });
  return el(
    'g',
    { class: `op op-${r.outcome}`, 'data-op-id': r.id, 'data-outcome': r.outcome, 'data-op': r.op, 'data-key': r.key, 'data-attempts': r.attempts.length },
    tooltip(opTooltip(r)),
    el('rect', { class: 'op-bar', x: x0, y, width: w, height: BAR, rx: w < 8 ? 0 : 2, fill: OUTCOME_COLOUR[r.outcome] }),
    label && el('text', { x: x0 + 3, y: y + 9.5, 'font-size': 10, fill: OUTCOME_TEXT[r.outcome] }, label),
    ...attempts,
  );
}
