// The time axis: the run's clock (ms from its origin) mapped to pixels, with ticks a person can read.

/** Maps run time to x; `end` is the right edge. */
export interface TimeScale {
  end: number;
  left: number;
  width: number;
  x(t: number): number;
}

/** A linear scale from 0..end ms onto left..left+width px; times outside are clamped onto the axis. */
export function timeScale(end: number, left: number, width: number): TimeScale {
  const span = end > 0 ? end : 1;
  return { end: span, left, width, x: (t) => left + (Math.min(Math.max(t, 0), span) / span) * width };
}

/** Steps below a second are 1-2-5 multiples; above, the ones a clock face uses. */
const SECOND_STEPS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];

/** The tick step giving about `target` ticks over `end` ms. */
export function tickStep(end: number, target = 10): number {
  const raw = Math.max(end, 1) / target;
  if (raw >= 1000) return SECOND_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 3_600_000) * 3_600_000;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
}

/** Tick positions 0, step, 2·step … up to `end`. */
export function ticks(end: number, target = 10): number[] {
  const step = tickStep(end, target);
  const out: number[] = [];
  for (let i = 0; i * step <= end + 1e-9; i++) out.push(Math.round(i * step * 1e6) / 1e6);
  return out;
}

/** A tick label: "0", "250ms", "1.5s", "1m 30s". */
export function formatTick(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${Number(ms.toPrecision(6))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return s ? `${m}m ${s}s` : `${m}m`;
}

/** A duration for tooltips: "12ms", "1.25s", "2m 3.5s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Number(ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Math.floor(ms / 60_000)}m ${Number(((ms % 60_000) / 1000).toFixed(1))}s`;
}
