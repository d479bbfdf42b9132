// Words shared by the HTML, Markdown and text views, so all three say the same thing.
import { formatMs } from '../../dsl/duration.ts';
import { SERVICE_TITLES } from '../static/seed-matrix.ts';
import type { GapCell, VariantRun } from './model.ts';

/** The column heading of a service ("ChainFire"). */
export function serviceTitle(service: string): string {
  return (SERVICE_TITLES as Record<string, string>)[service] ?? service;
}

/** "TEST", or "TEST / n/a" when variants declare different statuses. */
export function declaredText(cell: GapCell): string {
  return cell.declared.join(' / ');
}

/** Set when the declared status is not the seed's: "seed: DOC-GAP". */
export function seedMismatch(cell: GapCell): string | undefined {
  if (!cell.seed) return undefined;
  return cell.declared.length === 1 && cell.declared[0] === cell.seed ? undefined : `seed: ${cell.seed}`;
}

/** "kill -9 + start" or "(no variant)". */
export function variantName(v: VariantRun): string {
  return v.variant ?? '(no variant)';
}

/** "5.12s", or "" when unknown. */
export function durationText(ms: number | undefined): string {
  return ms === undefined ? '' : formatMs(ms);
}
