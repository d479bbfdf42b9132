// `faultline matrix` in a terminal: the grid as padded columns, then what the seed still lacks.
import { declaredText, seedMismatch, serviceTitle } from './describe-cell.ts';
import type { GapCell, GapMatrix } from './model.ts';

/** The text table: rows = scenario ids, columns = etcd + the seed's services. */
export function renderText(matrix: GapMatrix): string {
  const header = ['Scenario', ...matrix.services.map(serviceTitle)];
  const body = matrix.rows.map((r) => {
    const variants = new Set(r.cells.flatMap((c) => c.variants.map((v) => v.variant ?? ''))).size;
    return [`${r.id} ${r.title}${variants > 1 ? ` (${variants} variants)` : ''}`, ...r.cells.map(cellText)];
  });
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (!matrix.rows.length) out.push('(no scenario declared)');
  if (matrix.rows.some((r) => r.cells.some(seedMismatch))) out.push('', '* differs from the seed\'s table (see `faultline lint`)');
  if (matrix.unwritten.length) {
    out.push('', 'Seed rows no spec declares yet:');
    for (const r of matrix.unwritten) out.push(`  ${r.id} ${r.title}: ${Object.entries(r.cells).map(([s, st]) => `${serviceTitle(s)} ${st}`).join(', ')}`);
  }
  if (matrix.unmatched.length) {
    out.push('', 'Tests not matched to a declared scenario:');
    for (const u of matrix.unmatched) out.push(`  ${u.project}: ${u.title} — ${u.outcome}`);
  }
  return `${out.join('\n')}\n`;
}

function cellText(c: GapCell): string {
  const declared = `${declaredText(c)}${seedMismatch(c) ? '*' : ''}`;
  return c.outcome && c.outcome !== 'n/a' ? `${declared}: ${c.outcome}` : declared;
}
