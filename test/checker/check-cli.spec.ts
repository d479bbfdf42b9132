// `faultline check` end to end: the real bin, real files, and the exit code as the verdict.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { formatHistory } from '../../checker/index.ts';
import type { OpRecord } from '../../checker/history.ts';
import { get, history, put } from './build-history.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function check(file: string, ...flags: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/faultline.mjs', 'check', file, ...flags], { cwd: root, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeHistory(name: string, ops: OpRecord[] | string): string {
  const file = test.info().outputPath(name);
  writeFileSync(file, typeof ops === 'string' ? ops : formatHistory(ops));
  return file;
}

const good = history(put('c1', 'x', [0, 1]), put('c2', 'y', [0, 1]), get('c3', 'y', [2, 3]), get('c3', 'y', [4, 5]));
const stale = history(put('c1', 'x', [0, 1]), put('c2', 'y', [2, 3]), get('c3', 'x', [4, 5]));

test('exit 0 and a readable summary for a linearizable history', () => {
  const { code, stdout } = check(writeHistory('good.jsonl', good));
  expect(stdout).toContain('✓ "k"  linearizable');
  expect(stdout).toContain('Verdict: LINEARIZABLE (exit 0)');
  expect(code).toBe(0);
});

test('exit 1 with the failing operations for a stale read', () => {
  const { code, stdout } = check(writeHistory('stale.jsonl', stale));
  expect(stdout).toContain('✗ "k"  NOT linearizable');
  expect(stdout).toContain('#2 process "c3" get → "x" ok, 4.000 ms – 5.000 ms');
  expect(stdout).toContain('Lost acknowledged writes: 1');
  expect(code).toBe(1);
});

test('exit 2 when the search budget runs out: unknown is never a pass', () => {
  const { code, stdout } = check(writeHistory('good.jsonl', good), '--budget', '1');
  expect(stdout).toContain('? "k"  unknown');
  expect(stdout).toContain('Verdict: UNKNOWN');
  expect(code).toBe(2);
});

test('--json prints the machine-readable result', () => {
  const { code, stdout } = check(writeHistory('stale.jsonl', stale), '--json');
  const result = JSON.parse(stdout);
  expect(result.verdict).toBe('not-linearizable');
  expect(result.keys[0].failure.ops.map((o: OpRecord) => o.id)).toEqual([0, 1, 2]);
  expect(code).toBe(1);
});

test('exit 2 with line, field and fix for a malformed file', () => {
  const { code, stderr } = check(writeHistory('bad.jsonl', '{"id":0,"process":"c1","op":"put","key":"k","invoke":0,"complete":1,"outcome":"ok"}\n'));
  expect(stderr).toContain('bad.jsonl line 1: field "value" must be a string for put, got nothing');
  expect(stderr).toContain('Fix: ');
  expect(code).toBe(2);
});

test('exit 2 for a missing file, an empty file, or a bad flag', () => {
  expect(check(test.info().outputPath('missing.jsonl')).stderr).toContain('cannot read history file');
  expect(check(test.info().outputPath('missing.jsonl')).code).toBe(2);
  const empty = check(writeHistory('empty.jsonl', '\n'));
  expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('holds no operations')]);
  const flag = check(writeHistory('good.jsonl', good), '--budget', 'lots');
  expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining('--budget needs a positive number of states, got "lots"')]);
});

test('the example in docs/history-format.md is a valid, linearizable history', () => {
  const doc = readFileSync(new URL('../../docs/history-format.md', import.meta.url), 'utf8');
  const example = /```jsonl\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(example, 'docs/history-format.md should contain a ```jsonl example').toBeDefined();
  const { code, stdout, stderr } = check(writeHistory('example.jsonl', example!));
  expect(stderr).toBe('');
  expect(stdout).toContain('Verdict: LINEARIZABLE');
  expect(code).toBe(0);
});
