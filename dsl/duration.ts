// Durations are strings with a unit ("500ms", "2s", "1m"): a bare number is ambiguous.
import { ScenarioError } from './errors.ts';
import type { SpecLocation } from './location.ts';

/** A duration as written in a spec. */
export type Duration = `${number}ms` | `${number}s` | `${number}m`;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Parses "500ms" / "1.5s" / "2m" into milliseconds; anything else is a ScenarioError. */
export function parseDuration(value: unknown, what: string, location?: SpecLocation): number {
  if (typeof value === 'number') {
    throw new ScenarioError(
      `${what} must be a duration with a unit, got the number ${value}.`,
      `write '${value}ms' or '${value / 1000}s' instead of ${value}.`,
      location,
    );
  }
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value) : null;
  if (!m) {
    const shown = typeof value === 'string' ? `"${value}"` : String(value);
    const negative = typeof value === 'string' && value.trim().startsWith('-');
    throw new ScenarioError(
      negative ? `${what} cannot be negative, got ${shown}.` : `${what} is not a duration: ${shown}.`,
      `write a non-negative number followed by ms, s or m, e.g. '500ms', '1.5s', '2m'.`,
      location,
    );
  }
  return Number(m[1]) * units[m[2]!]!;
}

/** Formats milliseconds for titles and messages: 500 → "500ms", 1500 → "1.5s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Number((ms / 60_000).toFixed(2))}m`;
}
