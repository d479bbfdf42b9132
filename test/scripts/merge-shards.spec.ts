// `npm run merge` refuses blobs that are not every shard of one run, before it merges anything, and
// says which shard is missing, repeated or from another run, and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';

/** Runs the script on empty .zip files with these names (the check reads names only; nothing is merged when it fails). */
async function mergeNames(dir: string, names: string[], extra: string[] = []) {
  for (const n of names) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), '');
  }
  return execa('node', ['scripts/merge-shards.mjs', dir, ...extra], { reject: false, all: true });
}

test('a missing shard is named, with the fix', async ({}, testInfo) => {
  const r = await mergeNames(testInfo.outputPath('blobs'), ['shard-1-of-3/report-1-of-3.zip', 'shard-3-of-3/report-3-of-3.zip']);
  expect(r.exitCode).toBe(1);
  expect(r.all).toContain('Shard 2 of 3 is missing: its tests would show as "not run" in the gap matrix.');
  expect(r.all).toContain('Fix: download every shard');
  expect(r.all).not.toContain('Merging');
});

test('blobs of two runs split differently, and a shard there twice, are refused', async ({}, testInfo) => {
  const mixed = await mergeNames(testInfo.outputPath('mixed'), ['a/report-1-of-2.zip', 'a/report-2-of-2.zip', 'old/report-1-of-3.zip']);
  expect(mixed.exitCode).toBe(1);
  expect(mixed.all).toContain('The blobs come from runs split 2 ways and 3 ways');
  const twice = await mergeNames(testInfo.outputPath('twice'), ['ci-1/report-1-of-2.zip', 'ci-2/report-1-of-2.zip', 'ci-3/report-2-of-2.zip']);
  expect(twice.exitCode).toBe(1);
  expect(twice.all).toContain('Shard 1 of 2 is there 2 times');
});

test('no blob at all, or a folder that does not exist: the error says where it looked', async ({}, testInfo) => {
  fs.mkdirSync(testInfo.outputPath('empty'), { recursive: true });
  const empty = await execa('node', ['scripts/merge-shards.mjs', testInfo.outputPath('empty')], { reject: false, all: true });
  expect(empty.exitCode).toBe(1);
  expect(empty.all).toContain('no blob report (.zip) in');
  const missing = await execa('node', ['scripts/merge-shards.mjs', testInfo.outputPath('nowhere')], { reject: false, all: true });
  expect(missing.exitCode).toBe(1);
  expect(missing.all).toContain('does not exist');
});
