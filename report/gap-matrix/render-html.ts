// gap-matrix.html: one self-contained page (inline CSS, no script) with the grid — a row per
// scenario, a column per service, a colour per outcome — and a legend. All foreign text is escaped.
import { escapeHtml, safeHref, slug } from './escape.ts';
import { declaredText, durationText, seedMismatch, serviceTitle, variantName } from './describe-cell.ts';
import { OUTCOME_MEANING, OUTCOME_ORDER, type GapCell, type GapMatrix, type VariantRun } from './model.ts';

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212121; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin-top: 28px; }
.meta { color: #616161; margin: 0 0 16px; }
table.grid { border-collapse: collapse; width: 100%; table-layout: fixed; }
.grid th, .grid td { border: 1px solid #bdbdbd; padding: 8px; vertical-align: top; text-align: left; }
.grid th, .grid td, .grid code, .grid a { overflow-wrap: anywhere; word-break: break-word; }
.grid thead th { background: #eeeeee; } .grid tbody th { background: #fafafa; width: 16%; }
.grid th .title { display: block; font-weight: normal; color: #424242; }
.outcome { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: .03em; }
.declared { font-size: 12px; color: #424242; } .mismatch { color: #b71c1c; font-weight: 600; }
ul.variants { margin: 6px 0 0; padding-left: 16px; font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-word; font-size: 11px; background: rgba(255,255,255,.6); padding: 4px; margin: 2px 0; }
.rec { font-size: 12px; margin: 6px 0 0; font-style: italic; }
.reason { color: #424242; } .test-id { font-size: 10px; color: #757575; }
.o-passed { background: #c8e6c9; } .o-failed { background: #ffcdd2; }
.o-gap-confirmed { background: #ffe0b2; } .o-gap-closed { background: #e1bee7; }
.o-gap-not-confirmed { background: #ff8a65; }
.o-skipped { background: #e0e0e0; } .o-not-configured { background: #cfd8dc; }
.o-n-a { background: #fafafa; color: #9e9e9e; } .o-not-run { background: #fff; border-style: dashed !important; }
.o-declared { background: #fff; }
.legend { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 6px; }
.legend li { display: flex; gap: 8px; align-items: baseline; }
.swatch { display: inline-block; min-width: 110px; padding: 2px 6px; border: 1px solid #bdbdbd; font-size: 12px; }
`;

/** The page. `title` is ours; everything from specs and results is escaped. */
export function renderHtml(matrix: GapMatrix, title = 'Gap matrix — T040.S4 Service Reconnection'): string {
  const head = matrix.services.map((s) => `<th scope="col" data-service="${escapeHtml(s)}">${escapeHtml(serviceTitle(s))}</th>`).join('');
  const rows = matrix.rows.map((r) => `<tr data-scenario="${escapeHtml(r.id)}"><th scope="row">${escapeHtml(r.id)}<span class="title">${escapeHtml(r.title)}</span></th>${r.cells.map(cellHtml).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Generated ${escapeHtml(matrix.generatedAt)} · ${matrix.withOutcomes ? 'declared matrix (specs) × outcomes of this run' : 'declared matrix only (no results given)'}</p>
<table class="grid">
<thead><tr><th scope="col">Scenario</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
${matrix.withOutcomes ? legendHtml() : ''}
${unwrittenHtml(matrix)}
${unmatchedHtml(matrix)}
</body></html>
`;
}

function cellHtml(cell: GapCell): string {
  const cls = cell.outcome ? `o-${slug(cell.outcome)}` : 'o-declared';
  const mismatch = seedMismatch(cell);
  const parts = [
    cell.outcome ? `<div class="outcome">${escapeHtml(cell.outcome)}</div>` : '',
    `<div class="declared">declared ${escapeHtml(declaredText(cell))}${mismatch ? ` <span class="mismatch">(${escapeHtml(mismatch)})</span>` : ''}${cell.durationMs !== undefined ? ` · ${escapeHtml(durationText(cell.durationMs))}` : ''}</div>`,
    cell.variants.length ? `<ul class="variants">${cell.variants.map((v) => variantHtml(v, cell)).join('')}</ul>` : '',
    cell.recommendation ? `<p class="rec">Recommendation: ${escapeHtml(cell.recommendation)}</p>` : '',
  ];
  return `<td class="${cls}" data-service="${escapeHtml(cell.service)}" data-outcome="${escapeHtml(cell.outcome ?? '')}">${parts.join('')}</td>`;
}

function variantHtml(v: VariantRun, cell: GapCell): string {
  const declared = cell.declared.length > 1 ? `declared ${v.declared}` : undefined;
  const facts = [v.outcome, declared, durationText(v.durationMs) || undefined].filter(Boolean).join(' · ');
  const href = v.allureLink ? safeHref(v.allureLink) : undefined;
  const link = href ? ` <a href="${href}">Allure</a>` : v.testId ? ` <code class="test-id" title="Playwright test id">${escapeHtml(v.testId)}</code>` : '';
  const where = v.location ? ` title="${escapeHtml(`declared at ${v.location.file}:${v.location.line}`)}"` : '';
  const name = v.variant !== undefined ? `<b>${escapeHtml(variantName(v))}</b> — ` : '';
  const reason = v.reason ? `<div class="reason">${escapeHtml(v.reason)}</div>` : '';
  const errors = v.errors.map((e) => `<pre class="error">${escapeHtml(e)}</pre>`).join('');
  return `<li${where}>${name}${escapeHtml(facts)}${link}${reason}${errors}</li>`;
}

function legendHtml(): string {
  const items = OUTCOME_ORDER.map((o) => `<li><span class="swatch o-${slug(o)}">${escapeHtml(o)}</span><span>${escapeHtml(OUTCOME_MEANING[o])}</span></li>`);
  return `<h2>Legend</h2><ul class="legend">${items.join('')}</ul>`;
}

function unwrittenHtml(matrix: GapMatrix): string {
  if (!matrix.unwritten.length) return '';
  const items = matrix.unwritten.map((r) => `<li>${escapeHtml(`${r.id} ${r.title}: ${Object.entries(r.cells).map(([s, st]) => `${serviceTitle(s)} ${st}`).join(', ')}`)}</li>`);
  return `<h2>Seed rows no spec declares yet</h2><ul class="unwritten">${items.join('')}</ul>`;
}

function unmatchedHtml(matrix: GapMatrix): string {
  if (!matrix.unmatched.length) return '';
  const items = matrix.unmatched.map((u) => `<li>${escapeHtml(`${u.project}: ${u.title} — ${u.outcome}`)}</li>`);
  return `<h2>Tests not matched to a declared scenario</h2><ul class="unmatched">${items.join('')}</ul>`;
}
