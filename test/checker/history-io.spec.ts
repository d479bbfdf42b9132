// The JSON-lines format: round trips, and every broken line is named with its field, rule and fix.
import { expect, test } from '@playwright/test';
import { FaultlineError } from '../../dsl/errors.ts';
import { checkHistory, formatHistory, HistoryFormatError, parseHistory } from '../../checker/index.ts';
import { cas, del, get, history, put } from './build-history.ts';

const line = (fields: Record<string, unknown>): string =>
  JSON.stringify({ id: 1, process: 'c1', op: 'put', key: 'k', value: 'v', invoke: 1, complete: 2, outcome: 'ok', ...fields });

const errorOf = (text: string): HistoryFormatError => {
  try {
    parseHistory(text, 'run.jsonl');
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error('expected parseHistory to reject the history');
};

test('format then parse returns the same records', () => {
  const ops = history(
    put('c1', 'x', [0.25, 1.5]), get('c2', null, [2, 3]), del('c1', [4, 5], { outcome: 'info' }),
    cas('c2', null, 'y', [6, 7], { outcome: 'fail' }), get('c3', 'y', [8, 9], { key: 'other' }),
  );
  ops[2]!.error = 'DEADLINE_EXCEEDED';
  ops[2]!.attempts = [{ n: 1, start: 4, end: 5, endpoint: '127.0.0.1:2379', status: 'DEADLINE_EXCEEDED' }];
  expect(parseHistory(formatHistory(ops))).toEqual(ops);
});

test('blank lines are skipped, unknown fields ignored, integer processes become strings', () => {
  const text = `\n${line({ id: 0, process: 7, extra: true })}\n\n${line({ id: 1 })}\n`;
  expect(parseHistory(text).map((o) => [o.id, o.process])).toEqual([[0, '7'], [1, 'c1']]);
});

test('invalid JSON names the line', () => {
  const error = errorOf(`${line({ id: 0 })}\n{"id": 1,`);
  expect(error.line).toBe(2);
  expect(error.message).toMatch(/^run\.jsonl line 2: is not valid JSON/);
  expect(error.message).toContain('Fix: write one JSON object per line');
});

test('a format error is a FaultlineError: callers tell it from a bug; its name, rule and fix are kept', () => {
  const error = errorOf(line({ id: -1 }));
  expect(error).toBeInstanceOf(FaultlineError);
  expect(error.name).toBe('HistoryFormatError');
  expect([error.field, error.rule, error.fix]).toEqual(['id', expect.stringContaining('must be a non-negative integer'), expect.any(String)]);
  expect(error.message).toBe(`run.jsonl line 1: field "id" ${error.rule}\n  Fix: ${error.fix}`);
  expect(String(error)).toMatch(/^HistoryFormatError: run\.jsonl line 1: field "id" must be a non-negative integer/);
});

test('a missing field names the field, the rule and the fix, and spots typos', () => {
  const error = errorOf(line({ op: 'get', value: undefined, reslt: 'v' }));
  expect(error.field).toBe('result');
  expect(error.message).toBe(
    'run.jsonl line 1: field "result" must be a string or null (absent) for a successful get, got nothing (found "reslt": did you mean "result"?)\n' +
      '  Fix: record the value read, or null when the key did not exist',
  );
});

test('an unknown op suggests the Faultline name', () => {
  const error = errorOf(line({ op: 'read' }));
  expect(error.field).toBe('op');
  expect(error.message).toContain('must be one of "put", "get", "delete", "cas", got "read" (did you mean "get"?)');
});

test('each rule is enforced with its own message', () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ id: -1 }, 'id', 'must be a non-negative integer'],
    [{ process: '' }, 'process', 'must be a non-empty string'],
    [{ key: 3 }, 'key', 'must be a non-empty string'],
    [{ invoke: 'soon' }, 'invoke', 'must be a finite number of milliseconds'],
    [{ invoke: 5, complete: 4 }, 'complete', 'must not be earlier than "invoke" (4 ms < 5 ms)'],
    [{ outcome: 'timeout' }, 'outcome', 'must be "ok", "fail" or "info"'],
    [{ op: 'get', outcome: 'info' }, 'outcome', 'cannot be "info" for a get'],
    [{ value: null }, 'value', 'must be a string for put'],
    [{ op: 'cas' }, 'expected', 'must be a string or null (absent) for cas'],
    [{ attempts: 'twice' }, 'attempts', 'must be an array when present'],
  ];
  for (const [fields, field, rule] of cases) {
    const error = errorOf(line(fields));
    expect(error.field, JSON.stringify(fields)).toBe(field);
    expect(error.message, JSON.stringify(fields)).toContain(rule);
    expect(error.message, JSON.stringify(fields)).toContain('Fix: ');
  }
});

test('a duplicate id names both lines', () => {
  const error = errorOf(`${line({ id: 4 })}\n${line({ id: 4 })}`);
  expect(error.message).toContain('run.jsonl line 2: field "id" must be unique, but 4 was already used on line 1');
});

test('the same key in two clusters of a topology is two registers: a history that is fine per cluster passes, "cluster" round-trips', () => {
  // The column's cluster and the "pd" cluster each hold their own "k": a read of v-pd in the pd
  // cluster right after v1 was written in the column's cluster is no violation.
  const ops = history(put('c1', 'v1', [0, 1]), put('c2', 'v-pd', [2, 3], { cluster: 'pd' }), get('c1', 'v1', [4, 5]), get('c2', 'v-pd', [6, 7], { cluster: 'pd' }));
  const parsed = parseHistory(formatHistory(ops));
  expect(parsed.map((r) => r.cluster)).toEqual([undefined, 'pd', undefined, 'pd']);
  const result = checkHistory(parsed);
  expect(result.verdict).toBe('linearizable');
  expect(result.keys.map((k) => k.key).sort()).toEqual(['k', 'pd/k']);
  // Without the cluster field the same records are one register, and not linearizable.
  expect(checkHistory(parsed.map(({ cluster: _, ...r }) => r)).verdict).toBe('not-linearizable');
  expect(errorOf(line({ cluster: 7 })).message).toContain('"cluster"');
});
