// A shard is read from the command line in the runner and handed to its workers, which load the
// config again without it; a whole run never inherits a stale shard.
import { test, expect } from '@playwright/test';
import { blobFileName, SHARD_VAR, shardDir, shardFromArgv, shardOfRun, shardReporters } from '../../report/sharded-run.ts';

test('--shard=i/n and --shard i/n are read; anything else is the whole suite', () => {
  expect(shardFromArgv(['node', 'cli.js', 'test', '--shard=2/3'])).toEqual({ current: 2, total: 3 });
  expect(shardFromArgv(['test', '--shard', '1/2', '--workers=1'])).toEqual({ current: 1, total: 2 });
  expect(shardFromArgv(['test', '--workers=1'])).toBeUndefined();
  expect(shardFromArgv(['test', '--shard=two'])).toBeUndefined();
});

test('the runner hands its shard to the workers; a runner without --shard clears a stale one', () => {
  const env: NodeJS.ProcessEnv = {};
  expect(shardOfRun(['test', '--shard=2/2'], env)).toEqual({ current: 2, total: 2 });
  expect(env[SHARD_VAR]).toBe('2/2');
  // A worker: no --shard on its command line, TEST_WORKER_INDEX set by Playwright.
  expect(shardOfRun(['node', 'workerProcessEntry.js'], { ...env, TEST_WORKER_INDEX: '0' })).toEqual({ current: 2, total: 2 });
  // The next runner in the same shell, without --shard: the whole suite.
  expect(shardOfRun(['test'], env)).toBeUndefined();
  expect(env[SHARD_VAR]).toBeUndefined();
});

test('a shard writes its blob and output in folders of its own, named by place and count', () => {
  const shard = { current: 2, total: 3 };
  expect(shardDir('test-results/scenarios', undefined)).toBe('test-results/scenarios');
  expect(shardDir('test-results/scenarios', shard)).toBe('test-results/scenarios/shard-2-of-3');
  expect(blobFileName(shard)).toBe('report-2-of-3.zip');
  expect(shardReporters(shard, ['test', '--shard=2/3'])).toEqual([['list'], ['blob', { outputDir: 'blob-report/shard-2-of-3', fileName: 'report-2-of-3.zip' }]]);
  // Listing writes no blob: it would replace the shard's last real one with one that holds no results.
  expect(shardReporters(shard, ['test', '--shard=2/3', '--list'])).toEqual([['list']]);
});
