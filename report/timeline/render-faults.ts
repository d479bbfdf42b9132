// Faults: a row of labelled spans above the lanes, and translucent bands through every lane below it.
import type { FaultSpan } from './fault-spans.ts';
import { packTracks } from './pack-tracks.ts';
import { formatDuration, formatTick, type TimeScale } from './scale.ts';
import { el, join, tooltip, type Svg } from './svg.ts';
import { faultColour, fit, RIGHT, TEXT, textWidth, WIDTH } from './theme.ts';

const TRACK = 18;

/** The fault row (absent when there are no faults); labels never overlap: a span whose label is wider gets its own track. */
export function renderFaultRow(faults: readonly FaultSpan[], scale: TimeScale, top: number): { svg: Svg; height: number } {
  if (!faults.length) return { svg: join([]), height: 0 };
  const placed = faults.map((f) => placeLabel(f, scale));
  const extents = placed.map((p) => ({ x0: p.x0, x1: Math.max(p.x1, p.labelEnd) }));
  const { track, tracks } = packTracks(extents, 4);
  const parts: Svg[] = [el('text', { x: 16, y: top + 13, 'font-size': 12, fill: TEXT, 'font-weight': 'bold' }, 'faults')];
  faults.forEach((f, i) => {
    const { x0, x1, labelX, labelPx } = placed[i]!;
    const w = x1 - x0;
    const y = top + track[i]! * TRACK + 2;
    const colour = faultColour(f);
    parts.push(
      el(
        'g',
        { class: `fault fault-${f.fault}`, 'data-fault': f.fault, 'data-nodes': f.nodes.join(' '), 'data-start': f.start, 'data-end': f.end },
        tooltip(`${f.detail}\n${f.fault} on ${f.nodes.join(', ') || 'the network'}\nfrom ${formatTick(f.start)} to ${formatTick(f.end)} (${formatDuration(f.end - f.start)})${f.open ? ', still in force at the end' : ''}`),
        el('rect', { x: x0, y, width: w, height: TRACK - 4, rx: 2, fill: colour, 'fill-opacity': 0.25, stroke: colour }),
        el('text', { x: labelX, y: y + 11, 'font-size': 11, fill: TEXT }, fit(f.detail, labelPx, 11)),
      ),
    );
  });
  return { svg: el('g', { class: 'faults' }, join(parts)), height: tracks * TRACK + 6 };
}

/** Bands over the lanes and client rows, so what happened during a fault is visibly inside it. */
export function renderFaultBands(faults: readonly FaultSpan[], scale: TimeScale, top: number, bottom: number): Svg {
  return el(
    'g',
    { class: 'fault-bands', 'pointer-events': 'none' },
    join(
      faults.map((f) => {
        const x0 = scale.x(f.start);
        const x1 = scale.x(f.end);
        const colour = faultColour(f);
        return join([
          el('rect', { class: 'fault-band', x: x0, y: top, width: Math.max(x1 - x0, 1), height: bottom - top, fill: colour, 'fill-opacity': 0.08 }),
          el('line', { x1: x0, y1: top, x2: x0, y2: bottom, stroke: colour, 'stroke-dasharray': '4 3', 'stroke-opacity': 0.8 }),
          f.open ? undefined : el('line', { x1: x1, y1: top, x2: x1, y2: bottom, stroke: colour, 'stroke-dasharray': '4 3', 'stroke-opacity': 0.8 }),
        ]);
      }),
    ),
  );
}

/** The label goes inside the span when it fits, else just after it, else inside and shortened. */
function placeLabel(f: FaultSpan, scale: TimeScale): { x0: number; x1: number; labelX: number; labelPx: number; labelEnd: number } {
  const x0 = scale.x(f.start);
  const x1 = Math.max(scale.x(f.end), x0 + 2);
  const need = textWidth(f.detail, 11);
  const edge = WIDTH - RIGHT;
  if (need <= x1 - x0 - 8) return { x0, x1, labelX: x0 + 4, labelPx: x1 - x0 - 8, labelEnd: x1 };
  if (x1 + 4 + need <= edge) return { x0, x1, labelX: x1 + 4, labelPx: need + 1, labelEnd: x1 + 4 + need };
  return { x0, x1, labelX: x0 + 4, labelPx: edge - x0 - 4, labelEnd: edge };
}
