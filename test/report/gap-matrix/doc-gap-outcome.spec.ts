// A DOC-GAP test's `docGap` record (runner/reporter-records.ts) in the matrix: "gap not confirmed" when it
// failed for another reason or without a verdict, "gap confirmed" (only) with what confirmed it.
import { test, expect } from '@playwright/test';
import { classify } from '../../../report/gap-matrix/classify.ts';
import { OUTCOME_MEANING, OUTCOME_ORDER, worstOutcome, type TestRunRecord } from '../../../report/gap-matrix/model.ts';
import { docGapAnnotation, type DocGapVerdict } from '../../../runner/doc-gap.ts';

const FAIL = { type: 'fail', description: 'DOC-GAP: no retry (seed gap)' };

/** A DOC-GAP test as Playwright reports it: expected to fail unless the runner reset it. */
function record(status: string, expectedStatus: string, annotations: TestRunRecord['annotations'], errors: string[] = [], docGap?: DocGapVerdict): TestRunRecord {
  return { testId: 't', title: 'S4 Service restart recovery', project: 'iam', tags: ['iam', 'S4'], expectedStatus, status, annotations, records: docGap ? { docGap } : {}, errors, retries: 0 };
}

test('failed for another reason: its own outcome, with the reason, instead of "gap confirmed"', () => {
  const why = 'put "k" (op 1, client(node-1)) attempt #1 to node-1@127.0.0.1:18200: UNIMPLEMENTED "iam.v1.PolicyStore/PutPolicy" — not a connectivity failure';
  const verdict = { confirmed: false, why };
  const run = record('failed', 'passed', [FAIL, docGapAnnotation(verdict)], ['DocGapNotConfirmedError: DOC-GAP not confirmed: iam failed for a reason that is not the documented gap: …'], verdict);
  expect(classify(run, 'DOC-GAP')).toEqual({ outcome: 'gap not confirmed', reason: `DOC-GAP not confirmed: failed for another reason — ${why}` });
  // A TEST column never carries the annotation's meaning.
  expect(classify(run, 'TEST').outcome).toBe('failed');
});

test('confirmed: "gap confirmed", naming the connectivity failure that confirmed it', () => {
  const verdict = { confirmed: true, why: 'watch "faultline watch" terminated at 440ms: UNAVAILABLE: Connection dropped' };
  const run = record('failed', 'failed', [FAIL, docGapAnnotation(verdict)], [], verdict);
  // The annotation alone is text for people: without the typed record nothing is confirmed.
  expect(classify({ ...run, records: {} }, 'DOC-GAP').outcome).toBe('gap not confirmed');
  expect(classify(run, 'DOC-GAP')).toEqual({ outcome: 'gap confirmed', reason: 'DOC-GAP: no retry (seed gap) — confirmed by watch "faultline watch" terminated at 440ms: UNAVAILABLE: Connection dropped' });
});

test('a failure without a "confirmed" verdict is not the gap (the steps passed, then the teardown threw): "gap not confirmed"', () => {
  const teardown = ['Error: the evidence hook failed'];
  expect(classify(record('failed', 'failed', [FAIL], teardown), 'DOC-GAP')).toEqual({ outcome: 'gap not confirmed', reason: "DOC-GAP not confirmed: the test failed without a verdict on the gap (outside the scenario's steps, e.g. in its teardown), so nothing showed the gap" });
  expect(classify(record('passed', 'failed', [FAIL]), 'DOC-GAP').outcome).toBe('gap closed');
  // A failure the runner recorded as the machine's (by the error's class) proves nothing either way; its message alone decides nothing.
  const infra = { ...record('failed', 'failed', [FAIL], ['ReadinessTimeoutError: node-1 ready not reached after 30s']), records: { infrastructure: { error: 'ReadinessTimeoutError', message: 'node-1 ready not reached after 30s' } } };
  expect(classify(infra, 'DOC-GAP').outcome).toBe('failed');
  expect(classify(record('failed', 'failed', [FAIL], ['ReadinessTimeoutError: node-1 ready not reached after 30s']), 'DOC-GAP').outcome).toBe('gap not confirmed');
});

test('"gap not confirmed" needs attention before a closed gap and has a legend entry', () => {
  expect(OUTCOME_ORDER.indexOf('gap not confirmed')).toBeLessThan(OUTCOME_ORDER.indexOf('gap closed'));
  expect(worstOutcome(['gap confirmed', 'gap not confirmed', 'passed'])).toBe('gap not confirmed');
  expect(OUTCOME_MEANING['gap not confirmed']).toContain('another reason');
});
