// `faultline lint`: what is wrong with the specs' matrices, found without running them, and which
// of the seed's rows nobody has written yet.
import { didYouMean } from '../../dsl/errors.ts';
import { MATRIX_STATUSES, SERVICE_NAMES } from '../../dsl/services.ts';
import type { Diagnostic } from './diagnostic.ts';
import { readSpecs, type SpecReading, type StaticScenario } from './read-specs.ts';
import { SEED_MATRIX, SEED_SERVICES, SERVICE_TITLES, seedRow } from './seed-matrix.ts';

/** Reads the specs and lints them; `root` names the folder in "seed row not written" findings. */
export function lintSpecs(options: { patterns?: string[]; cwd?: string; root?: string } = {}): Diagnostic[] {
  return lintReading(readSpecs(options), options.root ?? 'specs/');
}

/** Every rule over what the static reader found, sorted by file and line. */
export function lintReading(reading: SpecReading, root = 'specs/'): Diagnostic[] {
  const out: Diagnostic[] = [...reading.diagnostics];
  const seen = new Map<string, StaticScenario>();
  for (const s of reading.scenarios) {
    const key = `${s.id}\u0000${s.variant ?? ''}`;
    const first = seen.get(key);
    if (first) {
      const fix = s.variant === undefined ? `add { variant: '…' } to each, e.g. one per failure method` : 'give each a distinct variant';
      out.push({ ...s.location, message: `duplicate scenario "${name(s)}": first declared at ${first.location.file}:${first.location.line}, and two tests cannot share a title. Fix: ${fix}.` });
    } else seen.set(key, s);
    if (s.matrixSource === 'missing') {
      out.push({ ...s.location, message: `scenario "${name(s)}" has no matrix, so no service would run it. Fix: add { matrix: { etcd: 'TEST' } } to its options.` });
    }
    out.push(...cellRules(s, reading.scenarios.filter((o) => o.id === s.id && o !== s)));
  }
  const declared = new Set(reading.scenarios.map((s) => s.id));
  for (const row of SEED_MATRIX) {
    if (declared.has(row.id)) continue;
    const cells = SEED_SERVICES.map((svc) => `${SERVICE_TITLES[svc]} ${row.cells[svc]}`).join(', ');
    out.push({ file: root, line: 0, column: 0, message: `seed row ${row.id} (${row.title}: ${cells}) is declared by no spec yet. Fix: write scenario('${row.id}', '${row.title}', { matrix: … }, body) in ${root}.` });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/**
 * A variant matches the seed's row cell by cell; a variant written for other columns may leave a
 * cell n/a when another variant of the same scenario declares the seed's status for it (e.g. S2's
 * etcd grpc-proxy variant and its FlareDB-with-ChainFire-as-PD variant).
 */
function cellRules(s: StaticScenario, siblings: StaticScenario[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of s.matrixEntries) {
    if (!(SERVICE_NAMES as readonly string[]).includes(e.service)) {
      const hint = didYouMean(e.service, SERVICE_NAMES);
      out.push({ ...e, message: `service "${e.service}" in the matrix of scenario "${name(s)}" has no Playwright project (projects: ${SERVICE_NAMES.join(', ')}). Fix: ${hint ? `did you mean "${hint}"?` : 'use a known service, or add its definition in services/ and dsl/services.ts.'}` });
    }
    if (!(MATRIX_STATUSES as readonly string[]).includes(e.status)) {
      const hint = didYouMean(e.status, MATRIX_STATUSES);
      out.push({ ...e, message: `status "${e.status}" for "${e.service}" in scenario "${name(s)}" is not one of ${MATRIX_STATUSES.join(', ')}. Fix: ${hint ? `did you mean "${hint}"?` : `use one of ${MATRIX_STATUSES.join(', ')}.`}` });
    }
  }
  const row = seedRow(s.id);
  if (!row || !s.matrix) return out;
  for (const svc of SEED_SERVICES) {
    const declared = s.matrix[svc];
    if (declared !== undefined && !(MATRIX_STATUSES as readonly string[]).includes(declared)) continue;
    if ((declared ?? 'n/a') === row.cells[svc]) continue;
    if ((declared ?? 'n/a') === 'n/a' && siblings.some((o) => o.matrix?.[svc] === row.cells[svc])) continue;
    const where = s.matrixEntries.find((e) => e.service === svc) ?? s.location;
    const shown = declared === undefined ? 'nothing (no test, as n/a)' : `"${declared}"`;
    out.push({ file: where.file, line: where.line, column: where.column, message: `cell ${s.id} × ${SERVICE_TITLES[svc]} of scenario "${name(s)}" disagrees with the seed: declared ${shown}, the seed says "${row.cells[svc]}". Fix: write ${svc}: '${row.cells[svc]}', or change the seed's table first.` });
  }
  return out;
}

function name(s: StaticScenario): string {
  return s.variant === undefined ? s.id : `${s.id} › ${s.variant}`;
}
