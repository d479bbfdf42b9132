// The time axis, labelled at the top and bottom, with grid lines through every lane so events line up.
import { formatTick, ticks, type TimeScale } from './scale.ts';
import { el, join, type Svg } from './svg.ts';
import { GRID, MUTED } from './theme.ts';

/** Height of the tick-label row above the plot. */
export const AXIS_HEIGHT = 22;

/** Grid lines from `top` to `bottom`, labels above `top` and below `bottom`. */
export function renderAxis(scale: TimeScale, top: number, bottom: number): Svg {
  const marks = ticks(scale.end, Math.max(4, Math.round(scale.width / 110)));
  const parts: Svg[] = [
    el('text', { x: 16, y: top - 8, 'font-size': 11, fill: MUTED }, 'run clock'),
    el('line', { x1: scale.left, y1: top, x2: scale.left + scale.width, y2: top, stroke: '#adb5bd' }),
  ];
  for (const t of marks) {
    const x = scale.x(t);
    const label = formatTick(t);
    parts.push(
      el('line', { class: 'grid', x1: x, y1: top, x2: x, y2: bottom, stroke: GRID }),
      el('line', { x1: x, y1: top - 4, x2: x, y2: top, stroke: '#adb5bd' }),
      el('text', { class: 'tick', 'data-t': t, x, y: top - 8, 'font-size': 11, fill: MUTED, 'text-anchor': 'middle' }, label),
      el('text', { x, y: bottom + 14, 'font-size': 11, fill: MUTED, 'text-anchor': 'middle' }, label),
    );
  }
  return el('g', { class: 'axis' }, join(parts));
}
