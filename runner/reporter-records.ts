// What a test hands its reporters as typed records, one JSON attachment each: a body survives Playwright's
// JSON reporter, blob reports and merge-reports, so no reporter parses annotation text (annotations stay for people).
import type { TestInfo } from '@playwright/test';
import type { DocGapVerdict } from './doc-gap.ts';
import { infrastructureCause } from './process/process-errors.ts';

/** Each kind of record and its shape. */
export interface ReporterRecords {
  /** The DOC-GAP verdict (runDocGap's, or the fixture's when the test failed outside the plan's steps). */
  docGap: DocGapVerdict;
  /** Skipped because the service, or a cluster the scenario starts beside it, is not configured on this machine. */
  notConfigured: { why: string };
  /** Failed because the machine did (runner/process/process-errors.ts infrastructureCause): the run proves nothing. */
  infrastructure: { error: string; message: string };
}

/** The attachment name of each record kind: what a reporter looks for. */
export const RECORD_ATTACHMENTS: { readonly [K in keyof ReporterRecords]: string } = {
  docGap: 'faultline-doc-gap.json',
  notConfigured: 'faultline-not-configured.json',
  infrastructure: 'faultline-infrastructure.json',
};

/** An attachment as reporters see it: a Buffer from the reporter API or testInfo, decoded base64 from a JSON report. */
export interface ReadableAttachment {
  name: string;
  contentType: string;
  body?: Buffer | string;
}

const SHAPES: { readonly [K in keyof ReporterRecords]: (v: Record<string, unknown>) => boolean } = {
  docGap: (v) => typeof v.confirmed === 'boolean' && typeof v.why === 'string',
  notConfigured: (v) => typeof v.why === 'string',
  infrastructure: (v) => typeof v.error === 'string' && typeof v.message === 'string',
};

/**
 * Attaches one record to the running test.
 * @example
 * await attachRecord(testInfo, 'docGap', { confirmed: true, why: 'watch "w" terminated at 40ms: UNAVAILABLE' });
 */
export async function attachRecord<K extends keyof ReporterRecords>(testInfo: Pick<TestInfo, 'attach'>, kind: K, value: ReporterRecords[K]): Promise<void> {
  await testInfo.attach(RECORD_ATTACHMENTS[kind], { contentType: 'application/json', body: JSON.stringify(value) });
}

/** Records `error` as an infrastructure failure when it is one (by class, along its causes); otherwise nothing. */
export async function recordInfrastructure(testInfo: Pick<TestInfo, 'attach'>, error: unknown): Promise<void> {
  const cause = infrastructureCause(error);
  if (cause) await attachRecord(testInfo, 'infrastructure', { error: cause.name, message: cause.message });
}

/** The records among a result's attachments (the last of each kind); one whose body is not its shape is left out. */
export function readRecords(attachments: readonly ReadableAttachment[]): Partial<ReporterRecords> {
  const out: Partial<Record<keyof ReporterRecords, unknown>> = {};
  for (const kind of Object.keys(RECORD_ATTACHMENTS) as (keyof ReporterRecords)[]) {
    const a = attachments.findLast((x) => x.name === RECORD_ATTACHMENTS[kind] && x.contentType === 'application/json' && x.body !== undefined);
    const value = a && parse(a.body!);
    if (value && SHAPES[kind](value)) out[kind] = value;
  }
  return out as Partial<ReporterRecords>;
}

function parse(body: Buffer | string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
