// The gap matrix as data: declared status × what happened, per scenario and service. The JSON file,
// the Markdown, the HTML grid and `faultline matrix` are all views of this one shape.
import type { MatrixStatus } from '../../dsl/services.ts';
import type { SourcePosition } from '../static/read-specs.ts';
import type { ReporterRecords } from '../../runner/reporter-records.ts';

/** What happened in a cell. `undefined` in a matrix built without results (declared only). */
export type Outcome = 'passed' | 'failed' | 'gap confirmed' | 'gap not confirmed' | 'gap closed' | 'skipped' | 'not configured' | 'n/a' | 'not run';

/** Worst first: when variants disagree, the cell shows the one that needs attention most. */
export const OUTCOME_ORDER: readonly Outcome[] = ['failed', 'gap not confirmed', 'gap closed', 'not run', 'not configured', 'skipped', 'gap confirmed', 'passed', 'n/a'];

/** What each outcome means, for the legend. */
export const OUTCOME_MEANING: Readonly<Record<Outcome, string>> = {
  passed: 'TEST passed',
  failed: 'TEST failed (a regression), or the run broke before the gap could show',
  'gap confirmed': 'DOC-GAP: the documented gap showed (the expected failure happened)',
  'gap not confirmed': 'DOC-GAP test failed for another reason than the gap (a wrong .proto, a setup or plan error): it proves nothing, fix the cause',
  'gap closed': 'DOC-GAP test passed: the gap is gone, update the matrix',
  skipped: 'SKIP: skipped with its reason',
  'not configured': "the service's binary is not configured on this machine",
  'n/a': 'not applicable: no test',
  'not run': 'declared, but no result (filtered by --grep / --project, or interrupted)',
};

/** One Playwright test as the matrix needs it, from the reporter API or from a JSON report. */
export interface TestRunRecord {
  testId: string;
  title: string;
  project: string;
  /** Without the leading `@`. */
  tags: string[];
  expectedStatus: string;
  /** The last result's status; undefined when the test never ran. */
  status?: string;
  annotations: { type: string; description?: string }[];
  /** The typed records the test attached (runner/reporter-records.ts): what the matrix decides on, never annotation text. */
  records?: Partial<ReporterRecords>;
  errors: string[];
  durationMs?: number;
  startTime?: number;
  retries: number;
}

/** One test (one variant) within a cell. */
export interface VariantRun {
  variant?: string;
  declared: MatrixStatus | string;
  outcome?: Outcome;
  durationMs?: number;
  /** The skip / DOC-GAP reason, or why the outcome is what it is. */
  reason?: string;
  errors: string[];
  testId?: string;
  /** Link to the test in the Allure report, relative to the gap matrix's folder. */
  allureLink?: string;
  location?: SourcePosition;
}

/** A scenario × service cell. */
export interface GapCell {
  service: string;
  /** The distinct declared statuses of the scenario's variants ("n/a" when no variant names the service). */
  declared: string[];
  /** The seed's status for this cell, when the seed has the row and column. */
  seed?: MatrixStatus;
  outcome?: Outcome;
  durationMs?: number;
  variants: VariantRun[];
  recommendation?: string;
}

/** A row: one scenario id, all its variants. */
export interface GapRow {
  id: string;
  title: string;
  cells: GapCell[];
}

/** The whole matrix, written as gap-matrix.json. */
export interface GapMatrix {
  generatedAt: string;
  services: string[];
  /** False when built without results: outcomes are absent. */
  withOutcomes: boolean;
  rows: GapRow[];
  /** Seed rows no spec declares yet. */
  unwritten: { id: string; title: string; cells: Record<string, MatrixStatus> }[];
  /** Tests whose scenario the static reader did not find (e.g. a non-literal id). */
  unmatched: { title: string; project: string; outcome: Outcome }[];
}

/** The worse of several outcomes (see OUTCOME_ORDER). */
export function worstOutcome(outcomes: Outcome[]): Outcome | undefined {
  return outcomes.length ? outcomes.reduce((a, b) => (OUTCOME_ORDER.indexOf(a) <= OUTCOME_ORDER.indexOf(b) ? a : b)) : undefined;
}
