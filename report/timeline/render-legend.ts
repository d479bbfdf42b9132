// The legend: every colour the picture uses, named, so nobody has to guess what amber or violet means.
import type { NodeState } from './node-states.ts';
import { el, join, type Svg } from './svg.ts';
import { ATTEMPT_COLOUR, LEADER_COLOUR, MUTED, OUTCOME_COLOUR, RIGHT, SIGNAL_COLOUR, STATE_COLOUR, STATE_LABEL, TEXT, textWidth, WIDTH } from './theme.ts';

type Item = [label: string, swatch: (x: number, y: number) => Svg];

const box = (fill: string, extra: Record<string, string | number> = {}) => (x: number, y: number) => el('rect', { x, y, width: 18, height: 11, rx: 2, fill, ...extra });
const state = (s: NodeState): Item => [STATE_LABEL[s], box(STATE_COLOUR[s], s === 'not-started' ? { stroke: '#ced4da' } : {})];

const NODE_ITEMS: Item[] = [
  state('not-started'),
  state('starting'),
  state('running'),
  ['leader', (x, y) => join([box(STATE_COLOUR.running)(x, y), el('rect', { x, y, width: 18, height: 4, fill: LEADER_COLOUR })])],
  state('paused'),
  state('stopped'),
  state('blocked'),
  state('partitioned'),
  state('degraded'),
  ['signal', (x, y) => el('line', { x1: x + 9, y1: y - 2, x2: x + 9, y2: y + 13, stroke: SIGNAL_COLOUR, 'stroke-width': 2 })],
  ['fault span', box('#f76707', { 'fill-opacity': 0.2, stroke: '#f76707', 'stroke-dasharray': '3 2' })],
];

const OP_ITEMS: Item[] = [
  ['ok', box(OUTCOME_COLOUR.ok)],
  ['fail', box(OUTCOME_COLOUR.fail)],
  ['info (may have applied)', box(OUTCOME_COLOUR.info)],
  ['attempt answered', (x, y) => join([box(OUTCOME_COLOUR.ok)(x, y), el('rect', { x: x + 3, y: y + 7, width: 12, height: 4, fill: ATTEMPT_COLOUR.ok })])],
  ['attempt failed (gap = backoff)', (x, y) => join([box(OUTCOME_COLOUR.fail)(x, y), el('rect', { x: x + 2, y: y + 7, width: 4, height: 4, fill: ATTEMPT_COLOUR.error }), el('rect', { x: x + 10, y: y + 7, width: 5, height: 4, fill: ATTEMPT_COLOUR.error })])],
];

/** Two rows, node lanes then client operations; 40 px tall. */
export function renderLegend(top: number): { svg: Svg; height: number } {
  return { svg: el('g', { class: 'legend' }, row('nodes', NODE_ITEMS, top), row('operations', OP_ITEMS, top + 18)), height: 40 };
}

function row(title: string, items: Item[], y: number): Svg {
  const parts: Svg[] = [el('text', { x: 16, y: y + 10, 'font-size': 11, fill: MUTED }, title)];
  let x = 100;
  for (const [label, swatch] of items) {
    if (x + 24 + textWidth(label, 11) > WIDTH - RIGHT) break;
    parts.push(swatch(x, y), el('text', { x: x + 23, y: y + 10, 'font-size': 11, fill: TEXT }, label));
    x += 23 + textWidth(label, 11) * 0.92 + 14;
  }
  return join(parts);
}
