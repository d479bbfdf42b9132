// One lane per node: coloured state segments, a gold leader stripe, and signal markers with labels above.
import type { NodeState, NodeTimeline } from './node-states.ts';
import { formatDuration, formatTick, type TimeScale } from './scale.ts';
import { el, join, labelled, tooltip, type Svg } from './svg.ts';
import { LEADER_COLOUR, LEFT, MUTED, RIGHT, SIGNAL_COLOUR, STATE_COLOUR, STATE_LABEL, TEXT, textWidth, WIDTH } from './theme.ts';

const LABEL_ROW = 14;
const BAR = 20;
const GAP = 6;
/** Height of one lane. */
export const LANE_HEIGHT = LABEL_ROW + BAR + GAP;

const DARK_TEXT: NodeState[] = ['not-started', 'starting'];

/** Where a leader span's start comes from, in words for its tooltip. */
const SOURCE = { log: "start by the node's own log line", poll: 'start when a status poll first saw it' } as const;

/** All lanes from `top`; returns their height. */
export function renderLanes(lanes: readonly NodeTimeline[], scale: TimeScale, top: number): { svg: Svg; height: number } {
  return { svg: el('g', { class: 'lanes' }, join(lanes.map((l, i) => renderLane(l, scale, top + i * LANE_HEIGHT, i)))), height: lanes.length * LANE_HEIGHT };
}

function renderLane(lane: NodeTimeline, scale: TimeScale, top: number, index: number): Svg {
  const barY = top + LABEL_ROW;
  const parts: Svg[] = [
    index % 2 ? undefined : el('rect', { x: 0, y: top, width: WIDTH, height: LANE_HEIGHT - 2, fill: MUTED, 'fill-opacity': 0.06 }),
    labelled('lane-label', lane.node, LEFT - 24, { x: 16, y: barY + 14, 'font-size': 13, 'font-weight': 'bold', fill: TEXT }),
  ].filter((p): p is Svg => !!p);
  for (const s of lane.segments) {
    const x0 = scale.x(s.start);
    const w = scale.x(s.end) - x0;
    if (w <= 0) continue;
    const label = textWidth(STATE_LABEL[s.state], 11) <= w - 6 ? STATE_LABEL[s.state] : '';
    parts.push(
      el(
        'g',
        { class: `state state-${s.state}`, 'data-state': s.state, 'data-start': s.start, 'data-end': s.end },
        tooltip(`${lane.node} ${STATE_LABEL[s.state]} from ${formatTick(s.start)} to ${formatTick(s.end)} (${formatDuration(s.end - s.start)})`),
        el('rect', { x: x0, y: barY, width: w, height: BAR, fill: STATE_COLOUR[s.state], stroke: s.state === 'not-started' ? '#dee2e6' : undefined }),
        label && el('text', { x: x0 + 4, y: barY + 14, 'font-size': 11, fill: DARK_TEXT.includes(s.state) ? TEXT : '#ffffff' }, label),
      ),
    );
  }
  for (const l of lane.leader) {
    const x0 = scale.x(l.start);
    parts.push(
      el('rect', { class: 'leader', 'data-start': l.start, 'data-end': l.end, 'data-source': l.source, x: x0, y: barY, width: Math.max(scale.x(l.end) - x0, 1), height: 5, fill: LEADER_COLOUR }, tooltip(`${lane.node} leader${l.term !== undefined ? ` at term ${l.term}` : ''} from ${formatTick(l.start)} to ${formatTick(l.end)} (${SOURCE[l.source]})`)),
    );
  }
  for (const s of lane.signals) {
    const x = scale.x(s.t);
    parts.push(
      el(
        'g',
        { class: 'signal', 'data-signal': s.signal, 'data-t': s.t },
        tooltip(`${s.label} → ${lane.node} at ${formatTick(s.t)}`),
        el('line', { x1: x, y1: barY - 3, x2: x, y2: barY + BAR, stroke: SIGNAL_COLOUR, 'stroke-width': 2 }),
        el('path', { d: `M${x - 4} ${barY - 6} h8 l-4 5 z`, fill: SIGNAL_COLOUR }),
      ),
    );
  }
  parts.push(labelRow(lane, scale, barY - 5));
  return el('g', { class: 'lane', 'data-lane': lane.node }, join(parts));
}

/** Signal and leader labels above the bar; labels that would collide are joined into one. */
function labelRow(lane: NodeTimeline, scale: TimeScale, baseline: number): Svg {
  const items = [
    ...lane.signals.map((s) => ({ x: scale.x(s.t), text: s.label, fill: SIGNAL_COLOUR })),
    ...lane.leader.map((l) => ({ x: scale.x(l.start), text: `★ leader (${l.source})`, fill: '#b07d00' })),
  ].sort((a, b) => a.x - b.x);
  const groups: Array<{ x: number; width: number; items: typeof items }> = [];
  for (const it of items) {
    const last = groups[groups.length - 1];
    if (last && it.x < last.x + last.width + 8) {
      last.items.push(it);
      last.width += textWidth(` · ${it.text}`, 10);
    } else groups.push({ x: it.x, width: textWidth(it.text, 10) + 6, items: [it] });
  }
  return join(
    groups.map((g) => {
      const right = g.x + 6 + g.width > WIDTH - RIGHT;
      const spans = g.items.flatMap((it, i) => [i ? el('tspan', { fill: MUTED }, ' · ') : undefined, el('tspan', { fill: it.fill }, it.text)]);
      return el('text', { class: 'lane-note', x: right ? WIDTH - RIGHT : g.x + 6, y: baseline, 'font-size': 10, 'font-weight': 'bold', 'text-anchor': right ? 'end' : 'start' }, ...spans);
    }),
  );
}
