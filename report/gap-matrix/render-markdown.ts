// gap-matrix.md: the grid as a Markdown table (readable in a PR or a terminal), then each
// non-n/a cell's variants, reasons, errors and recommendation.
import { declaredText, durationText, seedMismatch, serviceTitle, variantName } from './describe-cell.ts';
import { escapeMarkdown } from './escape.ts';
import { OUTCOME_MEANING, OUTCOME_ORDER, type GapCell, type GapMatrix } from './model.ts';

const MARK: Record<string, string> = { passed: '✅', failed: '❌', 'gap confirmed': '🟧', 'gap not confirmed': '🟥', 'gap closed': '🟪', skipped: '⏭️', 'not configured': '⚙️', 'n/a': '·', 'not run': '○' };

/** The Markdown document. */
export function renderMarkdown(matrix: GapMatrix, title = 'Gap matrix — T040.S4 Service Reconnection'): string {
  const out = [`# ${title}`, '', `Generated ${matrix.generatedAt}; ${matrix.withOutcomes ? 'declared matrix × outcomes of this run' : 'declared matrix only'}.`, ''];
  out.push(`| Scenario | ${matrix.services.map(serviceTitle).join(' | ')} |`, `|---|${matrix.services.map(() => '---').join('|')}|`);
  for (const r of matrix.rows) out.push(`| **${escapeMarkdown(r.id)}** ${escapeMarkdown(r.title)} | ${r.cells.map(cellText).join(' | ')} |`);
  if (matrix.withOutcomes) out.push('', OUTCOME_ORDER.map((o) => `${MARK[o]} ${o}: ${OUTCOME_MEANING[o]}`).join('  \n'));
  const details = matrix.rows.flatMap((r) => r.cells.filter((c) => c.variants.length || c.recommendation).map((c) => cellDetails(r.id, c)));
  if (details.length) out.push('', '## Cells', '', ...details);
  if (matrix.unwritten.length) {
    out.push('', '## Seed rows no spec declares yet', '');
    for (const r of matrix.unwritten) out.push(`- ${r.id} ${r.title}: ${Object.entries(r.cells).map(([s, st]) => `${serviceTitle(s)} ${st}`).join(', ')}`);
  }
  if (matrix.unmatched.length) {
    out.push('', '## Tests not matched to a declared scenario', '');
    for (const u of matrix.unmatched) out.push(`- ${escapeMarkdown(`${u.project}: ${u.title} — ${u.outcome}`)}`);
  }
  return `${out.join('\n')}\n`;
}

function cellText(c: GapCell): string {
  const mismatch = seedMismatch(c);
  const declared = `${declaredText(c)}${mismatch ? ` (${mismatch})` : ''}`;
  return escapeMarkdown(c.outcome ? `${MARK[c.outcome]} ${c.outcome} (${declared})` : declared);
}

function cellDetails(id: string, c: GapCell): string {
  const lines = [`### ${escapeMarkdown(`${id} × ${serviceTitle(c.service)}`)}${c.outcome ? ` — ${c.outcome}` : ''}`, ''];
  for (const v of c.variants) {
    const facts = [v.outcome, `declared ${v.declared}`, durationText(v.durationMs) || undefined, !v.allureLink && v.testId ? `test id ${v.testId}` : undefined].filter(Boolean);
    const link = v.allureLink ? `, [Allure](${encodeURI(v.allureLink)})` : '';
    lines.push(`- **${escapeMarkdown(variantName(v))}**: ${escapeMarkdown(facts.join(', '))}${link}`);
    if (v.reason) lines.push(`  - ${escapeMarkdown(v.reason)}`);
    for (const e of v.errors) lines.push('', fence(e), '');
  }
  if (c.recommendation) lines.push(`- Recommendation: ${escapeMarkdown(c.recommendation)}`);
  lines.push('');
  return lines.join('\n');
}

/** A fenced block that the text cannot close early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/~+/g)].map((m) => m[0].length));
  const bar = '~'.repeat(longest + 1);
  return `  ${bar}text\n${text.split('\n').map((l) => `  ${l}`).join('\n')}\n  ${bar}`;
}
