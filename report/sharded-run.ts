// A run that is one shard of several (`--shard=2/3`) writes only a blob report, and writes it and its
// test output into folders of its own: Playwright empties both when a run starts or ends, so two shards
// started on one machine must not share them. The Allure results and the gap matrix are built once,
// by `playwright merge-reports` over every shard's blob (scripts/merge-shards.mjs), never from a part.
import type { ReporterDescription } from '@playwright/test';

/** A shard as given on the command line: `--shard=current/total` or `--shard current/total`. */
export interface ShardArg {
  current: number;
  total: number;
}

/** The shard this command line asks for; undefined for the whole suite (a malformed value is Playwright's to reject). */
export function shardFromArgv(argv: readonly string[]): ShardArg | undefined {
  const i = argv.findIndex((a) => a === '--shard' || a.startsWith('--shard='));
  if (i < 0) return undefined;
  const value = argv[i] === '--shard' ? argv[i + 1] : argv[i]!.slice('--shard='.length);
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { current: Number(m[1]), total: Number(m[2]) } : undefined;
}

/** Hands the shard to the run's workers: they load the config again, without the command line. */
export const SHARD_VAR = 'FAULTLINE_RUN_SHARD';

/**
 * The shard of this run, in the runner (from its command line, handed on in SHARD_VAR) and in its
 * workers (from SHARD_VAR; Playwright sets TEST_WORKER_INDEX there). A runner without --shard clears a
 * stale SHARD_VAR, so only the run that set it ever reads it.
 */
export function shardOfRun(argv: readonly string[], env: NodeJS.ProcessEnv): ShardArg | undefined {
  const shard = shardFromArgv(argv);
  if (shard) env[SHARD_VAR] = `${shard.current}/${shard.total}`;
  else if (env.TEST_WORKER_INDEX !== undefined) return shardFromArgv([`--shard=${env[SHARD_VAR] ?? ''}`]);
  else delete env[SHARD_VAR];
  return shard;
}

/** `dir` for the whole suite; `dir/shard-2-of-3` for one shard. */
export function shardDir(dir: string, shard: ShardArg | undefined): string {
  return shard ? `${dir}/shard-${shard.current}-of-${shard.total}` : dir;
}

/** The blob file of one shard, named with its place and the count so a merge can tell a missing or stale shard. */
export function blobFileName(shard: ShardArg): string {
  return `report-${shard.current}-of-${shard.total}.zip`;
}

/**
 * One shard's reporters: the list, and its blob in `blobDir/shard-i-of-n/` — none for `--list` (`argv`),
 * whose blob would hold no results and replace the shard's last real one.
 */
export function shardReporters(shard: ShardArg, argv: readonly string[], blobDir = 'blob-report'): ReporterDescription[] {
  if (argv.includes('--list')) return [['list']];
  return [['list'], ['blob', { outputDir: shardDir(blobDir, shard), fileName: blobFileName(shard) }]];
}
