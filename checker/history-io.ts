// Histories cross process and tool boundaries as JSON lines; every line is validated so a bad
// history fails loudly at its line instead of producing a wrong verdict.
import { FaultlineError } from '../dsl/errors.ts';
import type { Attempt, OpKind, OpRecord, Outcome } from './history.ts';

/** A history file that breaks the format: names the line, the field, the rule and the fix. */
export class HistoryFormatError extends FaultlineError {
  override name = 'HistoryFormatError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly field: string | undefined,
    readonly rule: string,
    readonly fix: string,
  ) {
    super(`${source} line ${line}: ${field ? `field "${field}" ` : ''}${rule}\n  Fix: ${fix}`);
  }
}

const KINDS: readonly OpKind[] = ['put', 'get', 'delete', 'cas'];
const OUTCOMES: readonly Outcome[] = ['ok', 'fail', 'info'];
const ALIASES: Readonly<Record<string, OpKind>> = {
  read: 'get', write: 'put', set: 'put', del: 'delete', remove: 'delete', 'compare-and-set': 'cas', txn: 'cas',
};
const EXAMPLE =
  '{"id":1,"process":"c1","op":"put","key":"k","value":"v1","invoke":1.5,"complete":2.25,"outcome":"ok"}';

/** Parses a JSON-lines history; blank lines are skipped, unknown fields ignored. */
export function parseHistory(text: string, source = 'history'): OpRecord[] {
  const reader = historyReader(source);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) reader.line(lines[i]!, i + 1);
  return reader.ops;
}

const NEWLINE = 0x0a;

/**
 * Parses a history file's bytes line by line, each line decoded as strict UTF-8: an invalid byte is an
 * error at its line, never a U+FFFD that would make two different keys equal (and the verdict wrong).
 */
export function parseHistoryBytes(bytes: Uint8Array, source = 'history'): OpRecord[] {
  const reader = historyReader(source);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    const raw = bytes.subarray(start, end);
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      const at = firstInvalidByte(raw);
      throw new HistoryFormatError(source, line, undefined,
        `is not valid UTF-8 (byte 0x${raw[at]!.toString(16).padStart(2, '0')} at column ${at + 1})`,
        'write the history as UTF-8; keys and values that are binary must be encoded as text (e.g. base64) by the recorder');
    }
    reader.line(text, line);
    start = end + 1;
  }
  return reader.ops;
}

/** Collects validated records line by line and checks that ids are unique. */
function historyReader(source: string): { line(raw: string, line: number): void; ops: OpRecord[] } {
  const ops: OpRecord[] = [];
  const lineOfId = new Map<number, number>();
  return {
    ops,
    line(raw, line) {
      if (raw.trim() === '') return;
      const op = parseLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, source, line);
      const earlier = lineOfId.get(op.id);
      if (earlier !== undefined) {
        throw new HistoryFormatError(source, line, 'id', `must be unique, but ${op.id} was already used on line ${earlier}`,
          'give every operation its own id, e.g. its position in the history');
      }
      lineOfId.set(op.id, line);
      ops.push(op);
    },
  };
}

/** The offset of the first byte that breaks UTF-8 (only called once a strict decode has failed). */
function firstInvalidByte(raw: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = raw.length;
  // The longest valid prefix, found by bisection: prefixes that end inside a character also fail, so
  // step back over continuation bytes to the start of the offending sequence.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(raw.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return Math.min(lo, raw.length - 1);
}

/** Writes records as JSON lines that `parseHistory` reads back unchanged. */
export function formatHistory(ops: readonly OpRecord[]): string {
  return ops.map((op) => JSON.stringify(op)).join('\n') + (ops.length > 0 ? '\n' : '');
}

function parseLine(raw: string, source: string, line: number): OpRecord {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new HistoryFormatError(source, line, undefined, `is not valid JSON (${(error as Error).message})`,
      `write one JSON object per line, e.g. ${EXAMPLE}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HistoryFormatError(source, line, undefined, 'must be a JSON object describing one operation',
      `write one JSON object per line, e.g. ${EXAMPLE}`);
  }
  const obj = data as Record<string, unknown>;
  const fail = (field: string, rule: string, fix: string): never => {
    const typo = Object.keys(obj).find((k) => !KNOWN.has(k) && nearlyEqual(k, field));
    const hint = field in obj || typo === undefined ? '' : ` (found "${typo}": did you mean "${field}"?)`;
    throw new HistoryFormatError(source, line, field, `${rule}${hint}`, fix);
  };

  const id = obj.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    fail('id', `must be a non-negative integer, got ${show(id)}`, 'number the operations 0, 1, 2, … in the order they were invoked');
  }
  const process = typeof obj.process === 'number' && Number.isInteger(obj.process) ? String(obj.process) : obj.process;
  if (typeof process !== 'string' || process === '') {
    fail('process', `must be a non-empty string, got ${show(obj.process)}`, 'name the client that issued the operation, e.g. "c1"');
  }
  const kind = obj.op;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const alias = typeof kind === 'string' ? ALIASES[kind] : undefined;
    fail('op', `must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}, got ${show(kind)}${alias ? ` (did you mean "${alias}"?)` : ''}`,
      `use "${alias ?? 'put'}"${alias ? '' : ' for writes, "get" for reads, "delete", or "cas" for compare-and-swap'}`);
  }
  const op = kind as OpKind;
  if (typeof obj.key !== 'string' || obj.key === '') {
    fail('key', `must be a non-empty string, got ${show(obj.key)}`, 'record the key the operation read or wrote');
  }
  for (const field of ['invoke', 'complete'] as const) {
    const t = obj[field];
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      fail(field, `must be a finite number of milliseconds, got ${show(t)}`,
        `record when the operation was ${field === 'invoke' ? 'sent' : 'answered'}, in ms from the run's clock origin`);
    }
  }
  const invoke = obj.invoke as number;
  const complete = obj.complete as number;
  if (complete < invoke) {
    fail('complete', `must not be earlier than "invoke" (${complete} ms < ${invoke} ms)`,
      'take both times from one monotonic clock; for an operation with no answer use outcome "info" and the time you gave up');
  }
  const outcome = obj.outcome;
  if (typeof outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(outcome)) {
    fail('outcome', `must be "ok", "fail" or "info", got ${show(outcome)}`,
      'use "ok" when it certainly happened, "fail" when it certainly did not, "info" when unknown (e.g. a timeout)');
  }
  if (op === 'get' && outcome === 'info') {
    fail('outcome', 'cannot be "info" for a get: a read without an answer observed nothing',
      'record an unanswered read as "fail"; the checker ignores it either way');
  }
  if (op === 'put' || op === 'cas') {
    if (typeof obj.value !== 'string') {
      fail('value', `must be a string for ${op}, got ${show(obj.value)}`,
        op === 'put' ? 'record the value written; to make a key absent use op "delete"' : 'record the value the cas writes');
    }
  }
  if (op === 'cas' && !(typeof obj.expected === 'string' || obj.expected === null)) {
    fail('expected', `must be a string or null (absent) for cas, got ${show(obj.expected)}`,
      'record the value the cas compared against, or null if it required the key to be absent');
  }
  if (op === 'get' && outcome === 'ok' && !(typeof obj.result === 'string' || obj.result === null)) {
    fail('result', `must be a string or null (absent) for a successful get, got ${show(obj.result)}`,
      'record the value read, or null when the key did not exist');
  }
  if (obj.error !== undefined && typeof obj.error !== 'string') {
    fail('error', `must be a string when present, got ${show(obj.error)}`, 'record the error message as text');
  }
  if (obj.cluster !== undefined && (typeof obj.cluster !== 'string' || obj.cluster === '')) {
    fail('cluster', `must be a non-empty string when present, got ${show(obj.cluster)}`, 'name the cluster the operation went to (a topology\'s second cluster), or leave the field out');
  }
  if (obj.attempts !== undefined && !Array.isArray(obj.attempts)) {
    fail('attempts', `must be an array when present, got ${show(obj.attempts)}`, 'record each try as an object, or leave the field out');
  }
  const attempts = obj.attempts === undefined ? [] : parseAttempts(obj.attempts as unknown[], fail);

  const record: OpRecord = {
    id: id as number,
    process: process as string,
    op,
    key: obj.key as string,
    invoke,
    complete,
    outcome: outcome as Outcome,
    attempts,
  };
  if (op === 'put' || op === 'cas') record.value = obj.value as string;
  if (op === 'cas') record.expected = obj.expected as string | null;
  if (op === 'get' && outcome === 'ok') record.result = obj.result as string | null;
  if (typeof obj.error === 'string') record.error = obj.error;
  if (typeof obj.cluster === 'string') record.cluster = obj.cluster;
  return record;
}

const KNOWN = new Set(['id', 'process', 'op', 'key', 'value', 'expected', 'result', 'invoke', 'complete', 'outcome', 'error', 'attempts', 'cluster']);

const ATTEMPT_EXAMPLE = '{"n":1,"start":1.5,"end":2.25,"endpoint":"127.0.0.1:2379","status":"OK"}';

/** Every try validated like the operation itself: a bad attempt is named by its index, never a crash later. */
function parseAttempts(
  items: readonly unknown[],
  fail: (field: string, rule: string, fix: string) => never,
): Attempt[] {
  const attempts: Attempt[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i];
    const field = `attempts[${i}]`;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) {
      fail(field, `must be an object describing one try, got ${show(a)}`, `record each try as e.g. ${ATTEMPT_EXAMPLE}, or leave "attempts" out`);
    }
    const t = a as Record<string, unknown>;
    if (typeof t.n !== 'number' || !Number.isSafeInteger(t.n) || t.n < 1) {
      fail(`${field}.n`, `must be a positive integer (the try's number, from 1), got ${show(t.n)}`, 'number the tries 1, 2, 3, … in order');
    }
    for (const f of ['start', 'end'] as const) {
      if (typeof t[f] !== 'number' || !Number.isFinite(t[f])) {
        fail(`${field}.${f}`, `must be a finite number of milliseconds, got ${show(t[f])}`,
          `record when the try ${f === 'start' ? 'was sent' : 'ended'}, on the same clock as "invoke" and "complete"`);
      }
    }
    const [start, end] = [t.start as number, t.end as number];
    if (end < start) {
      fail(`${field}.end`, `must not be before its start (start ${start} ms, end ${end} ms)`, 'take both times from one monotonic clock');
    }
    for (const f of ['endpoint', 'status'] as const) {
      if (typeof t[f] !== 'string' || t[f] === '') {
        fail(`${field}.${f}`, `must be a non-empty string, got ${show(t[f])}`,
          f === 'endpoint' ? 'record the address the try went to, e.g. "127.0.0.1:2379"' : 'record "OK" or the gRPC status name, e.g. "UNAVAILABLE"');
      }
    }
    if (t.error !== undefined && typeof t.error !== 'string') {
      fail(`${field}.error`, `must be a string when present, got ${show(t.error)}`, 'record the error message as text');
    }
    const attempt: Attempt = { n: t.n as number, start, end, endpoint: t.endpoint as string, status: t.status as string };
    if (typeof t.error === 'string') attempt.error = t.error;
    attempts.push(attempt);
  }
  return attempts;
}

const SHOWN_CHARS = 60;

/** A value as it appears in a message: short, and never a recursion over what the file nests. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 3).map((k) => JSON.stringify(clip(k))).join(', ')}${keys.length > 3 ? ', …' : ''}`;
  }
  return typeof value === 'string' ? JSON.stringify(clip(value)) : String(value);
}

function clip(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Case-insensitive equality up to one edit, enough to catch "reslt" or "Complete". */
function nearlyEqual(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return x.slice(i + 1) === y.slice(i + 1) || x.slice(i) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i);
}
