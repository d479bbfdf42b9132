// Typed records from a test to its reporters: written as JSON attachments, read back from the reporter API's
// Buffers and a JSON report's base64, never from annotation text.
import { test, expect } from '@playwright/test';
import { attachRecord, readRecords, RECORD_ATTACHMENTS, type ReadableAttachment } from '../../runner/reporter-records.ts';

/** What testInfo.attach receives, kept as the reporter API hands it over. */
function fakeTestInfo(): { attachments: ReadableAttachment[]; attach: (name: string, o: { contentType?: string; body?: string | Buffer }) => Promise<void> } {
  const attachments: ReadableAttachment[] = [];
  return { attachments, attach: async (name, o) => void attachments.push({ name, contentType: o.contentType ?? 'application/octet-stream', body: Buffer.from(o.body ?? '') }) };
}

test('a record written with attachRecord is read back typed, the last of each kind', async () => {
  const info = fakeTestInfo();
  await attachRecord(info, 'docGap', { confirmed: false, why: 'first' });
  // A why that looks like the annotation's own text is data, not syntax.
  await attachRecord(info, 'docGap', { confirmed: true, why: 'not confirmed: put "k" failed\nsecond line' });
  await attachRecord(info, 'notConfigured', { why: 'chainfire binary not configured (set CHAINFIRE_BIN)' });
  expect(info.attachments.map((a) => [a.name, a.contentType])).toEqual([
    [RECORD_ATTACHMENTS.docGap, 'application/json'],
    [RECORD_ATTACHMENTS.docGap, 'application/json'],
    [RECORD_ATTACHMENTS.notConfigured, 'application/json'],
  ]);
  expect(readRecords(info.attachments)).toEqual({ docGap: { confirmed: true, why: 'not confirmed: put "k" failed\nsecond line' }, notConfigured: { why: 'chainfire binary not configured (set CHAINFIRE_BIN)' } });
});

test('annotations, other attachments and bodies of the wrong shape are no records', () => {
  const json = (name: string, body: string): ReadableAttachment => ({ name, contentType: 'application/json', body: Buffer.from(body) });
  expect(readRecords([])).toEqual({});
  expect(readRecords([{ name: 'doc-gap.txt', contentType: 'text/plain', body: Buffer.from('confirmed: x') }])).toEqual({});
  expect(readRecords([json(RECORD_ATTACHMENTS.docGap, '{"confirmed":"yes","why":"x"}')])).toEqual({});
  expect(readRecords([json(RECORD_ATTACHMENTS.docGap, 'confirmed: x')])).toEqual({});
  expect(readRecords([json(RECORD_ATTACHMENTS.notConfigured, '[]')])).toEqual({});
  expect(readRecords([{ name: RECORD_ATTACHMENTS.docGap, contentType: 'text/plain', body: Buffer.from('{"confirmed":true,"why":"x"}') }])).toEqual({});
  // A string body (as testInfo may keep it) is the JSON text itself.
  expect(readRecords([{ name: RECORD_ATTACHMENTS.docGap, contentType: 'application/json', body: '{"confirmed":true,"why":"x"}' }])).toEqual({ docGap: { confirmed: true, why: 'x' } });
});

test('an infrastructure failure is told by class along its causes, never by its name or message', async () => {
  const { NodeProcessError, ReadinessTimeoutError } = await import('../../runner/process/process-errors.ts');
  const { OperationError } = await import('../../runner/errors.ts');
  const { recordInfrastructure } = await import('../../runner/reporter-records.ts');
  const read = async (e: unknown) => {
    const info = fakeTestInfo();
    await recordInfrastructure(info, e);
    return readRecords(info.attachments).infrastructure;
  };
  expect(await read(new ReadinessTimeoutError('cluster leader', 10_000, 'no leader'))).toEqual({ error: 'ReadinessTimeoutError', message: 'cluster leader not reached after 10s (last probe: no leader)' });
  // Wrapped (as DocGapNotConfirmedError wraps the original): found through `cause`.
  expect((await read(new OperationError('DOC-GAP not confirmed', { cause: new NodeProcessError('Could not start "etcd"', { node: 'node-1' }) })))?.error).toBe('NodeProcessError');
  // Words alone are not the class.
  const lookalike = new Error('NodeProcessError: not reached after 5s');
  expect(await read(lookalike)).toBeUndefined();
  expect(await read(new OperationError('put failed after 3 attempt(s)'))).toBeUndefined();
});
