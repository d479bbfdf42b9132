// Colours and sizes in one place, so the legend and the drawing cannot disagree.
import type { Outcome } from '../../runner/records/history.ts';
import type { FaultSpan } from './fault-spans.ts';
import type { NodeState } from './node-states.ts';

/** Node states: blues for a healthy process, grey for down, violet paused, warm colours for a cut network. */
export const STATE_COLOUR: Record<NodeState, string> = {
  'not-started': '#f1f3f5',
  starting: '#a5d8ff',
  running: '#4dabf7',
  paused: '#9775fa',
  stopped: '#495057',
  blocked: '#f76707',
  partitioned: '#e64980',
  degraded: '#fab005',
};

/** How the legend names each state. */
export const STATE_LABEL: Record<NodeState, string> = {
  'not-started': 'not started',
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  blocked: 'blocked',
  partitioned: 'partitioned',
  degraded: 'degraded (packet loss)',
};

/** Operation outcomes: the colours every history viewer uses (Jepsen, porcupine). */
export const OUTCOME_COLOUR: Record<Outcome, string> = { ok: '#2f9e44', fail: '#e03131', info: '#f59f00' };

/** Text on an outcome bar must stay readable: white on green/red, dark on amber. */
export const OUTCOME_TEXT: Record<Outcome, string> = { ok: '#ffffff', fail: '#ffffff', info: '#212529' };

/** Attempt strips inside an op bar: white when answered OK, near-black for an error. */
export const ATTEMPT_COLOUR = { ok: '#ffffff', error: '#212529' };

/** Gold for the leader stripe, red for signal markers: both must stand out on any state colour. */
export const LEADER_COLOUR = '#fcc419';
export const SIGNAL_COLOUR = '#c92a2a';
/** Text, secondary text and grid lines: dark enough to read, light enough not to compete with the data. */
export const TEXT = '#212529';
export const MUTED = '#868e96';
export const GRID = '#e9ecef';

/** A fault band takes the colour of the lane state it causes; a link fault teal, any other grey. */
export function faultColour(f: Pick<FaultSpan, 'lane' | 'link'>): string {
  return f.lane ? STATE_COLOUR[f.lane] : f.link ? '#1098ad' : '#868e96';
}

/** DejaVu first: it is what Debian's Chromium renders with, so the width estimates below hold. */
export const FONT = "'DejaVu Sans', Verdana, 'Segoe UI', system-ui, sans-serif";
/** A fixed width (the SVG scales in Allure's viewer); the left gutter holds node and client names. */
export const WIDTH = 1280;
export const LEFT = 118;
export const RIGHT = 28;
export const PLOT_WIDTH = WIDTH - LEFT - RIGHT;

/** A safe over-estimate of a label's width in px (DejaVu Sans is wide), for fit and collision checks. */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.62;
}

/** Shortens text to fit `px` at `size`, ending with "…"; empty when not even one character fits. */
export function fit(text: string, px: number, size: number): string {
  const max = Math.floor(px / (size * 0.62));
  const chars = [...text];
  if (chars.length <= max) return text;
  return max < 2 ? '' : `${chars.slice(0, max - 1).join('')}…`;
}
