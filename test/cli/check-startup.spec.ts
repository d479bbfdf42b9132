// `faultline check` starts like a tool: it runs precompiled JavaScript (no tsx, no esbuild at run time),
// rebuilds it when a source changed, and says so — then still answers — when it cannot be built.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const HISTORY = '{"id":0,"process":"c1","op":"put","key":"k","value":"v1","invoke":1,"complete":2,"outcome":"ok"}\n';

function check(cwd: string, file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/faultline.mjs', 'check', file], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the parts of the repository the check command needs, timestamps kept. */
function copyOfRepo(name: string, nodeModules: boolean): string {
  const dir = test.info().outputPath(name);
  for (const part of ['bin', 'cli', 'checker', 'dsl', 'scripts', 'package.json', path.join('.faultline', 'cli')]) {
    fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true, preserveTimestamps: true });
  }
  if (nodeModules) fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'h.jsonl'), HISTORY);
  return dir;
}

test.beforeAll(() => {
  // The compiled check exists and is fresh once the bin has run in the real repository.
  const r = check(root, 'docs/history-format.md');
  expect(r.code).toBe(2);
  expect(fs.existsSync(path.join(root, '.faultline', 'cli', 'check.mjs'))).toBe(true);
});

test('the check command runs without tsx or esbuild installed: precompiled JavaScript only', () => {
  const dir = copyOfRepo('no-node-modules', false);
  const { code, stdout, stderr } = check(dir, 'h.jsonl');
  expect(stderr).toBe('');
  expect(stdout).toContain('Verdict: LINEARIZABLE (exit 0)');
  expect(code).toBe(0);
});

test('a changed source is compiled again before the check runs', () => {
  const dir = copyOfRepo('stale', true);
  const summary = path.join(dir, 'cli', 'check-summary.ts');
  fs.writeFileSync(summary, fs.readFileSync(summary, 'utf8').replace("'LINEARIZABLE (exit 0)'", "'LINEARIZABLE, as rebuilt (exit 0)'"));
  const { code, stdout, stderr } = check(dir, 'h.jsonl');
  expect(stderr).toBe('');
  expect(stdout).toContain('Verdict: LINEARIZABLE, as rebuilt (exit 0)');
  expect(code).toBe(0);
});

test('when the compiled check is missing and cannot be built, it says why and how to fix it, then runs through tsx', () => {
  const dir = copyOfRepo('unbuildable', true);
  fs.rmSync(path.join(dir, '.faultline'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.faultline'), 'a file where the build directory should be');
  const { code, stdout, stderr } = check(dir, 'h.jsonl');
  expect(stderr).toContain('faultline: the compiled check command (.faultline/cli/check.mjs) is missing or out of date and cannot be built');
  expect(stderr).toContain('Running the TypeScript sources through tsx instead');
  expect(stderr).toContain('Fix: run `npm run bootstrap`');
  expect(stdout).toContain('Verdict: LINEARIZABLE (exit 0)');
  expect(code).toBe(0);
});
