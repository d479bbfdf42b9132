// Test fixture: fake Playwright reporter objects (FullConfig, Suite, TestCase, TestResult) with just
// the fields the gap-matrix reporter reads, so every cell outcome can be produced without a run.
import path from 'node:path';
import type { FullConfig, Suite, TestCase } from '@playwright/test/reporter';
import { SERVICE_NAMES } from '../../../dsl/services.ts';
import { docGapAnnotation, type DocGapVerdict } from '../../../runner/doc-gap.ts';
import { RECORD_ATTACHMENTS, type ReadableAttachment, type ReporterRecords } from '../../../runner/reporter-records.ts';

/** One fake result. */
export interface FakeResult {
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  durationMs?: number;
  errors?: string[];
  annotations?: { type: string; description?: string }[];
  /** Typed records (runner/reporter-records.ts), attached as the runner attaches them. */
  records?: Partial<ReporterRecords>;
  startTime?: Date;
}

/** One fake test, titled and tagged as runner/compile.ts does. */
export interface FakeTest {
  id: string;
  service: string;
  title: string;
  tags: string[];
  expectedStatus: 'passed' | 'failed' | 'skipped';
  results: FakeResult[];
}

/** A test of scenario `id` for `service`: `S4 Title › variant`, tags `@service` and `@id`. */
export function scenarioTest(id: string, title: string, variant: string | undefined, service: string, expectedStatus: FakeTest['expectedStatus'], ...results: FakeResult[]): FakeTest {
  return { id: `fake-${id}-${variant ?? ''}-${service}`, service, title: `${id} ${title}${variant ? ` › ${variant}` : ''}`, tags: [`@${service}`, `@${id}`], expectedStatus, results };
}

/** The config and root suite a reporter's onBegin receives, one project per service. */
export function fakeRun(tests: FakeTest[], testDir: string): { config: FullConfig; suite: Suite; testCases: TestCase[] } {
  const projects = SERVICE_NAMES.map((name) => ({ name, testDir: path.resolve(testDir), testMatch: /\.fixture\.ts$/, testIgnore: [], metadata: {} }));
  const testCases = tests.map((t) => {
    const project = projects.find((p) => p.name === t.service)!;
    return {
      id: t.id,
      title: t.title,
      tags: t.tags,
      expectedStatus: t.expectedStatus,
      annotations: [],
      parent: { project: () => project },
      results: t.results.map((r, retry) => ({
        status: r.status,
        duration: r.durationMs ?? 1000,
        errors: (r.errors ?? []).map((message) => ({ message })),
        annotations: r.annotations ?? [],
        attachments: attachmentsOf(r.records ?? {}),
        startTime: r.startTime ?? new Date(),
        retry,
      })),
    } as unknown as TestCase;
  });
  const suite = { type: 'root', suites: [], allTests: () => testCases } as unknown as Suite;
  const config = { configFile: path.resolve('playwright.test.config.ts'), rootDir: path.resolve(testDir), projects } as unknown as FullConfig;
  return { config, suite, testCases };
}

const NOT_CONFIGURED = 'chainfire binary not configured (set CHAINFIRE_BIN, or put "chainfire" on PATH)';
const SKIP_NOT_CONFIGURED = { annotations: [{ type: 'skip', description: NOT_CONFIGURED }], records: { notConfigured: { why: NOT_CONFIGURED } } };

/** The JSON attachments the runner writes for these records. */
function attachmentsOf(records: Partial<ReporterRecords>): ReadableAttachment[] {
  return Object.entries(records).map(([kind, value]) => ({ name: RECORD_ATTACHMENTS[kind as keyof ReporterRecords], contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) }));
}

/** Every outcome the matrix knows, over outcomes.fixture.ts (G2's etcd test is missing: filtered out). */
export function everyOutcome(): FakeTest[] {
  const g1 = (variant: string, service: string, expected: FakeTest['expectedStatus'], r: FakeResult) => scenarioTest('G1', 'Every outcome', variant, service, expected, r);
  const gap = (reason: string) => ({ type: 'fail', description: `DOC-GAP: ${reason}` });
  // What runDocGap adds when the failing step's own subject failed for connectivity.
  const confirmed = (why: string): { annotation: ReturnType<typeof docGapAnnotation>; records: { docGap: DocGapVerdict } } => ({ annotation: docGapAnnotation({ confirmed: true, why }), records: { docGap: { confirmed: true, why } } });
  const withGap = (g: { type: string; description: string }, c: ReturnType<typeof confirmed>) => ({ annotations: [g, c.annotation], records: c.records });
  return [
    g1('first', 'etcd', 'passed', { status: 'passed', durationMs: 5100 }),
    g1('second', 'etcd', 'passed', { status: 'failed', durationMs: 7000, errors: ['Error: Expected to read "k" = "v2", read "v1"\n\n  at specs/x.spec.ts:3'] }),
    g1('first', 'chainfire', 'passed', { status: 'skipped', durationMs: 2, ...SKIP_NOT_CONFIGURED }),
    g1('second', 'chainfire', 'passed', { status: 'skipped', durationMs: 2, ...SKIP_NOT_CONFIGURED }),
    g1('first', 'flaredb', 'failed', { status: 'failed', durationMs: 4000, errors: ['Error: watch did not resume <script>window.__pwned = 1</script>'], ...withGap(gap('No watch reconnect (fixture).'), confirmed('watch "w" terminated at 40ms: UNAVAILABLE: Connection dropped')) }),
    g1('second', 'flaredb', 'failed', { status: 'failed', durationMs: 4100, errors: ['Error: watch did not resume'], ...withGap(gap('No watch reconnect (fixture).'), confirmed('watch "w" terminated at 41ms: UNAVAILABLE: Connection dropped')) }),
    g1('first', 'plasmavmc', 'failed', { status: 'passed', durationMs: 3000, annotations: [gap('the matrix marks plasmavmc as DOC-GAP for G1')] }),
    g1('second', 'plasmavmc', 'failed', { status: 'failed', durationMs: 3000, errors: ['Error: VM call failed'], ...withGap(gap('the matrix marks plasmavmc as DOC-GAP for G1'), confirmed('put "vm" (op 2, client(node-1)) attempt #1 to node-1@127.0.0.1:1: UNAVAILABLE')) }),
    g1('first', 'iam', 'passed', { status: 'skipped', annotations: [{ type: 'skip', description: 'SKIP: no IAM cluster here (fixture)' }] }),
    g1('second', 'iam', 'passed', { status: 'skipped', annotations: [{ type: 'skip', description: 'SKIP: no IAM cluster here (fixture)' }] }),
    // G2 etcd: no test at all (filtered by --grep); G2 flaredb: collected, never ran.
    { ...scenarioTest('G2', 'Not run and n/a', undefined, 'flaredb', 'passed'), results: [] },
    scenarioTest('S4', 'Service restart recovery', undefined, 'plasmavmc', 'failed', { status: 'failed', errors: ['ReadinessTimeoutError: cluster leader not reached after 10s'], annotations: [gap('no retry')], records: { infrastructure: { error: 'ReadinessTimeoutError', message: 'cluster leader not reached after 10s' } } }),
    scenarioTest('S4', 'Service restart recovery', undefined, 'iam', 'failed', { status: 'failed', errors: ['Error: auth failed'], ...withGap(gap('no retry'), confirmed('put "k" (op 2, client(node-1)) attempt #1 to node-1@127.0.0.1:1: UNAVAILABLE')) }),
  ];
}
