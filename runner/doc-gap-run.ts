// Runs the plan of a DOC-GAP cell (a test marked test.fail()): its failure counts as the documented gap
// only when runner/doc-gap.ts says so; any other failure turns the test red, so a broken setup never
// passes for a confirmed gap.
import type { TestInfo } from '@playwright/test';
import { FaultlineError } from '../dsl/errors.ts';
import { pointStackAt } from '../dsl/location.ts';
import { classifyDocGapFailure, docGapAnnotation } from './doc-gap.ts';
import { docGapEvidence } from './doc-gap-evidence.ts';
import { attachRecord } from './reporter-records.ts';
import type { Run } from './run.ts';

/** A DOC-GAP test failed, but not because of the gap: carries the original error as `cause`. */
export class DocGapNotConfirmedError extends FaultlineError {
  override name = 'DocGapNotConfirmedError';
  constructor(service: string, cause: unknown, why: string) {
    const original = cause instanceof Error ? (cause.name && cause.name !== 'Error' ? `${cause.name}: ${cause.message}` : cause.message) : String(cause);
    super(
      `DOC-GAP not confirmed: ${service} failed for a reason that is not the documented gap: ${original.trimEnd()}\n` +
        `  Not the gap: ${why}.\n` +
        "  Fix the service configuration (proto, launch flags, operation mappings) or the scenario; the gap is confirmed only when the failing step's own operation, read, watch or link failed for connectivity.",
      { cause },
    );
    // Keep the original's frames (for a step, the spec line), so reporters point where it failed.
    const frames = cause instanceof Error ? (cause.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : [];
    if (frames.length) pointStackAt(this, frames);
  }
}

/**
 * Runs `execute` for a DOC-GAP test and records the verdict (a typed record for reporters, an annotation for people). A failure for
 * another reason resets the expected status, so Playwright reports it as an unexpected failure.
 * @example
 * test.fail(status === 'DOC-GAP', reason);
 * await runDocGap('iam', run, testInfo, () => executePlan(plan, run));
 */
export async function runDocGap(service: string, run: Run, testInfo: TestInfo, execute: () => Promise<void>): Promise<void> {
  try {
    await execute();
  } catch (e) {
    const verdict = classifyDocGapFailure(e, await docGapEvidence(run, e));
    testInfo.annotations.push(docGapAnnotation(verdict));
    await attachRecord(testInfo, 'docGap', verdict);
    if (verdict.confirmed) throw e;
    // Playwright reads expectedStatus when the test ends (1.x: TestInfoImpl → testEnd payload).
    testInfo.expectedStatus = 'passed';
    throw new DocGapNotConfirmedError(service, e, verdict.why);
  }
}
