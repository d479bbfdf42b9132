// A retried write whose first attempt got no answer may land later — after its retry succeeded and
// after another client's newer write (measured on etcd behind a dropped port). The checker allows it
// by default and rejects it with --strict.
import fs from 'node:fs';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { ambiguous, withAmbiguousAttempts } from '../../checker/ambiguous-attempts.ts';
import { checkHistory } from '../../checker/index.ts';
import type { OpRecord } from '../../checker/history.ts';

const history: OpRecord[] = [
  // put x: attempt 1 timed out (may have been applied), attempt 2 answered OK.
  { id: 1, process: 'a', op: 'put', key: 'k', value: 'x', invoke: 0, complete: 2600, outcome: 'ok', attempts: [
    { n: 1, start: 0, end: 2000, endpoint: 'node-1', status: 'DEADLINE_EXCEEDED', error: 'Deadline exceeded' },
    { n: 2, start: 2500, end: 2600, endpoint: 'node-1', status: 'OK' },
  ] },
  { id: 2, process: 'b', op: 'put', key: 'k', value: 'y', invoke: 3000, complete: 3100, outcome: 'ok', attempts: [{ n: 1, start: 3000, end: 3100, endpoint: 'node-2', status: 'OK' }] },
  // x is read after y was acknowledged: only possible if attempt 1 of put x landed late.
  { id: 3, process: 'c', op: 'get', key: 'k', result: 'x', invoke: 4000, complete: 4100, outcome: 'ok', attempts: [{ n: 1, start: 4000, end: 4100, endpoint: 'node-3', status: 'OK' }] },
];

test('an unanswered attempt may land late: linearizable with it, a stale read without it', () => {
  expect(checkHistory(history).verdict).toBe('not-linearizable');
  const expanded = withAmbiguousAttempts(history);
  expect(expanded).toHaveLength(4);
  expect(expanded[3]).toMatchObject({ op: 'put', value: 'x', outcome: 'info', invoke: 0, process: 'a#attempt1' });
  expect(checkHistory(expanded).verdict).toBe('linearizable');
});

test('a refused attempt never reached a server, so it adds nothing', () => {
  expect(ambiguous('UNAVAILABLE', 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1')).toBe(false);
  expect(ambiguous('UNAVAILABLE', 'Connection dropped')).toBe(true);
  expect(ambiguous('OK')).toBe(false);
  const refused = history.map((r) => (r.id === 1 ? { ...r, attempts: [{ ...r.attempts[0]!, status: 'UNAVAILABLE', error: 'connect ECONNREFUSED' }, r.attempts[1]!] } : r));
  expect(withAmbiguousAttempts(refused)).toHaveLength(3);
});

test('faultline check allows late attempts by default (exit 0) and rejects them with --strict (exit 1)', async ({}, testInfo) => {
  const file = testInfo.outputPath('late-retry.jsonl');
  fs.writeFileSync(file, history.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const lenient = await execa('node', ['bin/faultline.mjs', 'check', file], { reject: false });
  expect(lenient.exitCode).toBe(0);
  const strict = await execa('node', ['bin/faultline.mjs', 'check', '--strict', file], { reject: false });
  expect(strict.exitCode).toBe(1);
  expect(strict.stdout).toContain('"k"');
});
