// One SVG per test: header with the verdict, legend, time axis, fault spans, a lane per node and a
// row per client process, all on the run's monotonic clock. Pure: input in, markup out.
import type { OpRecord } from '../../runner/records/history.ts';
import { endedWorkloads } from '../../runner/records/events.ts';
import { faultSpans } from './fault-spans.ts';
import { nodeStates } from './node-states.ts';
import { AXIS_HEIGHT, renderAxis } from './render-axis.ts';
import { renderFaultBands, renderFaultRow } from './render-faults.ts';
import { renderHeader } from './render-header.ts';
import { renderLanes } from './render-lanes.ts';
import { renderLegend } from './render-legend.ts';
import { renderOps } from './render-ops.ts';
import { timeScale } from './scale.ts';
import { el, join } from './svg.ts';
import { FONT, LEFT, MUTED, PLOT_WIDTH, TEXT, WIDTH } from './theme.ts';
import type { TimelineInput } from './timeline-input.ts';

/** Renders the timeline as a standalone SVG document (image/svg+xml); every outside string in it is escaped. */
export function renderTimeline(input: TimelineInput): string {
  const end = axisEnd(input.end, input.history);
  const events = input.events.filter((e) => e.t <= end);
  const scale = timeScale(end, LEFT, PLOT_WIDTH);
  const faults = faultSpans(events, end);
  const lanes = nodeStates(events, input.nodes, end, faults);

  const header = renderHeader(input.title, lanes.length, input.history, faults.length, end, input.verdict, endedWorkloads(input.events).sort((a, b) => a.id - b.id));
  const legend = renderLegend(header.height);
  const axisTop = header.height + legend.height + AXIS_HEIGHT;
  const faultRow = renderFaultRow(faults, scale, axisTop + 4);
  const lanesTop = axisTop + 4 + faultRow.height;
  const laneBlock = renderLanes(lanes, scale, lanesTop);
  const clientsTop = lanesTop + laneBlock.height + 22;
  const ops = renderOps(input.history, scale, clientsTop);
  const plotBottom = clientsTop + ops.height;
  const height = plotBottom + 26;

  const body = join([
    el('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }),
    header.svg,
    legend.svg,
    renderAxis(scale, axisTop, plotBottom),
    faultRow.svg,
    laneBlock.svg,
    el('text', { x: 16, y: clientsTop - 7, 'font-size': 11, fill: MUTED }, 'clients'),
    el('line', { x1: 16, y1: clientsTop - 3, x2: WIDTH - 16, y2: clientsTop - 3, stroke: '#ced4da' }),
    ops.svg,
    renderFaultBands(faults, scale, lanesTop, plotBottom),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'faultline-timeline', width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, 'font-family': FONT, fill: TEXT, 'data-end': end, role: 'img', 'aria-label': `Timeline: ${input.title}` },
    el('title', {}, input.title),
    body,
  ).markup}\n`;
}

/**
 * The right edge: the caller's `end`, widened to the last operation's completion so no bar is cut.
 * Events after it are left out: they are the teardown's kills, not the scenario's.
 */
export function axisEnd(end: number, history: readonly OpRecord[]): number {
  return Math.max(end, 1, ...history.map((r) => r.complete));
}
