// Builds the gap matrix: the declared matrix (static reader) × what ran (test records), one row per
// scenario id, one cell per service, variants aggregated with the worst outcome winning.
import { SERVICE_NAMES } from '../../dsl/services.ts';
import type { StaticScenario } from '../static/read-specs.ts';
import { SEED_MATRIX, seedRecommendation, seedStatus } from '../static/seed-matrix.ts';
import { classify, summarizeErrors } from './classify.ts';
import { worstOutcome, type GapCell, type GapMatrix, type GapRow, type Outcome, type TestRunRecord, type VariantRun } from './model.ts';

/** Extra per-test facts the caller knows (e.g. Allure links, found after the run). */
export interface BuildOptions {
  allureLinks?: ReadonlyMap<string, string>;
  now?: Date;
}

/** The test title runner/compile.ts gives a scenario: `S4 Service restart recovery › kill -9 + start`. */
export function scenarioTestTitle(s: Pick<StaticScenario, 'id' | 'title' | 'variant'>): string {
  return `${s.id} ${s.title}${s.variant ? ` › ${s.variant}` : ''}`;
}

/** Declared × outcomes. Without `runs` the matrix is declared-only (no outcome anywhere). */
export function buildGapMatrix(scenarios: readonly StaticScenario[], runs?: readonly TestRunRecord[], options: BuildOptions = {}): GapMatrix {
  const byKey = new Map<string, TestRunRecord[]>();
  const unmatched: GapMatrix['unmatched'] = [];
  for (const run of runs ?? []) {
    const scenario = scenarios.find((s) => run.tags.includes(s.id) && scenarioTestTitle(s) === run.title);
    const service = (SERVICE_NAMES as readonly string[]).includes(run.project) ? run.project : run.tags.find((t) => (SERVICE_NAMES as readonly string[]).includes(t));
    if (!scenario || !service) {
      unmatched.push({ title: run.title, project: run.project, outcome: classify(run, 'TEST').outcome });
      continue;
    }
    const key = cellKey(scenario, service);
    byKey.set(key, [...(byKey.get(key) ?? []), run]);
  }
  const ids = [...new Set(scenarios.map((s) => s.id))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const rows: GapRow[] = ids.map((id) => {
    const variants = scenarios.filter((s) => s.id === id);
    return { id, title: variants[0]!.title, cells: SERVICE_NAMES.map((svc) => buildCell(id, svc, variants, byKey, runs !== undefined, options)) };
  });
  const unwritten = SEED_MATRIX.filter((r) => !ids.includes(r.id)).map((r) => ({ id: r.id, title: r.title, cells: { ...r.cells } }));
  return { generatedAt: (options.now ?? new Date()).toISOString(), services: [...SERVICE_NAMES], withOutcomes: runs !== undefined, rows, unwritten, unmatched };
}

function buildCell(id: string, service: string, scenarios: StaticScenario[], byKey: Map<string, TestRunRecord[]>, withOutcomes: boolean, options: BuildOptions): GapCell {
  const declared = new Set<string>();
  const variants: VariantRun[] = [];
  for (const s of scenarios) {
    const found = byKey.get(cellKey(s, service)) ?? [];
    const status = s.matrix ? (s.matrix[service] ?? 'n/a') : found.length ? '?' : 'n/a';
    declared.add(status);
    if (status === 'n/a') continue;
    variants.push(variantRun(s, status, found, withOutcomes, options));
  }
  // A variant written for other columns (n/a here) does not make the cell "TEST / n/a".
  if (declared.size > 1) declared.delete('n/a');
  const outcomes = variants.map((v) => v.outcome).filter((o): o is Outcome => o !== undefined);
  const durations = variants.map((v) => v.durationMs).filter((d): d is number => d !== undefined);
  const isGap = variants.some((v) => v.declared === 'DOC-GAP' || v.declared === 'SKIP');
  return {
    service,
    declared: [...declared],
    seed: seedStatus(id, service),
    outcome: withOutcomes ? (worstOutcome(outcomes) ?? 'n/a') : undefined,
    durationMs: durations.length ? durations.reduce((a, b) => a + b, 0) : undefined,
    variants,
    recommendation: isGap ? (scenarios.find((s) => s.recommendation)?.recommendation ?? seedRecommendation(id, service)) : undefined,
  };
}

function variantRun(s: StaticScenario, declared: string, runs: TestRunRecord[], withOutcomes: boolean, options: BuildOptions): VariantRun {
  const v: VariantRun = { variant: s.variant, declared, errors: [], location: s.location };
  if (!withOutcomes) return v;
  // Several results for one test and variant (--repeat-each): the worst one speaks for it.
  const judged = (runs.length ? runs : [undefined]).map((r) => ({ run: r, ...classify(r, declared) }));
  const worst = judged.find((j) => j.outcome === worstOutcome(judged.map((x) => x.outcome)))!;
  v.outcome = worst.outcome;
  v.reason = worst.reason;
  if (worst.run) {
    v.testId = worst.run.testId;
    v.durationMs = worst.run.durationMs;
    v.errors = summarizeErrors(worst.run.errors);
    v.allureLink = options.allureLinks?.get(worst.run.testId);
  }
  return v;
}

function cellKey(s: Pick<StaticScenario, 'id' | 'variant'>, service: string): string {
  return `${s.id}\u0000${s.variant ?? ''}\u0000${service}`;
}
