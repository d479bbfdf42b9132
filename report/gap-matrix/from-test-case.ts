// Playwright's reporter API → the matrix's test record (the same shape a JSON report gives).
import type { TestCase } from '@playwright/test/reporter';
import type { TestRunRecord } from './model.ts';
import { readRecords } from '../../runner/reporter-records.ts';

/** The record of one TestCase: its last result (retries counted), static and runtime annotations (duplicates are harmless). */
export function recordFromTestCase(test: TestCase): TestRunRecord {
  const last = test.results[test.results.length - 1];
  return {
    testId: test.id,
    title: test.title,
    project: test.parent.project()?.name ?? '',
    tags: test.tags.map((t) => t.replace(/^@/, '')),
    expectedStatus: test.expectedStatus,
    status: last?.status,
    annotations: [...test.annotations, ...(last?.annotations ?? [])].map((a) => ({ type: a.type, description: a.description })),
    records: readRecords(last?.attachments ?? []),
    errors: (last?.errors ?? []).map((e) => e.message ?? e.value ?? ''),
    durationMs: last?.duration,
    startTime: last?.startTime.getTime(),
    retries: Math.max(0, test.results.length - 1),
  };
}
