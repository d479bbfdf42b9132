// Histories cross process and tool boundaries as JSON lines; every line is validated so a bad
// history fails loudly at its line instead of producing a wrong verdict.
import { FaultlineError } from '../dsl/errors.ts';
import type { OpKind, OpRecord, Outcome } from './history.ts';

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
  const ops: OpRecord[] = [];
  const lineOfId = new Map<number, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const op = parseLine(raw, source, line);
    const earlier = lineOfId.get(op.id);
    if (earlier !== undefined) {
      throw new HistoryFormatError(source, line, 'id', `must be unique, but ${op.id} was already used on line ${earlier}`,
        'give every operation its own id, e.g. its position in the history');
    }
    lineOfId.set(op.id, line);
    ops.push(op);
  });
  return ops;
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

  const record: OpRecord = {
    id: id as number,
    process: process as string,
    op,
    key: obj.key as string,
    invoke,
    complete,
    outcome: outcome as Outcome,
    attempts: (obj.attempts as OpRecord['attempts'] | undefined) ?? [],
  };
  if (op === 'put' || op === 'cas') record.value = obj.value as string;
  if (op === 'cas') record.expected = obj.expected as string | null;
  if (op === 'get' && outcome === 'ok') record.result = obj.result as string | null;
  if (typeof obj.error === 'string') record.error = obj.error;
  if (typeof obj.cluster === 'string') record.cluster = obj.cluster;
  return record;
}

const KNOWN = new Set(['id', 'process', 'op', 'key', 'value', 'expected', 'result', 'invoke', 'complete', 'outcome', 'error', 'attempts', 'cluster']);

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
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
