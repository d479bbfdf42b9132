// Sharding loses nothing: the same real scenarios run once whole and once as two shards at once (one
// worker each, port ranges of their own), and the merged blobs give the same gap matrix, cell for
// cell, and the same Allure results as the whole run; a merge missing one shard gives another matrix.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import type { GapMatrix } from '../../report/gap-matrix/model.ts';
import { etcdProcessesUnder, readChildResults, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const CONFIG = 'test/fixtures/shards.config.ts';
/**
 * Four etcd tests (S4's SIGSTOP freeze and etcdctl-on-every-member variants, both S5 watch variants) and
 * the S5 cells of two columns not configured here: shard 1 gets three etcd tests, shard 2 one and the two
 * others. Chosen because their verdicts hold under a loaded machine (S4's kill -9 variant judges a real
 * client's reconnect spacing, which two runs on 2 busy cores may see differently: not what this test is about).
 */
const GREP = ['--grep', '@S5|etcd.*S4.*(etcdctl on every member|SIGSTOP)'];
const env = { FAULTLINE_PORT_BASE: String(PORT_BASES.shards) };

/**
 * The matrix as a comparison sees it: everything computed from the runs — outcomes, declared and seed
 * statuses, test ids, spec locations, errors, recommendations, unmatched tests — except what a second
 * run measures anew: when it was generated, durations, Allure links (result uuids are random), and
 * the numbers in a reason (a real client's measured tries and times, "1 try at 1.82s") with the word after each.
 */
function comparable(m: GapMatrix): unknown {
  const mask = (text?: string) => text?.replace(/\d+(?:[.,]\d+)?(?:\s*[^\s\d;,()]+)?/g, '#');
  return {
    ...m,
    generatedAt: undefined,
    rows: m.rows.map((r) => ({
      ...r,
      cells: r.cells.map(({ durationMs: _d, ...c }) => ({ ...c, variants: c.variants.map(({ durationMs: _v, allureLink: _l, ...v }) => ({ ...v, reason: mask(v.reason) })) })),
    })),
  };
}

const readMatrix = (dir: string): GapMatrix => JSON.parse(fs.readFileSync(path.join(dir, 'gap-matrix', 'gap-matrix.json'), 'utf8'));

interface AllureResult {
  name: string;
  status: string;
  parameters?: { name: string; value: string }[];
  steps?: unknown[];
}

/** Each Allure result as `project › name: status, n steps`, sorted; and how many gap-matrix globals the folder holds. */
function allureSummary(dir: string): { results: string[]; globals: number } {
  const files = fs.readdirSync(path.join(dir, 'allure-results'));
  const results = files.filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'allure-results', f), 'utf8')) as AllureResult);
  return {
    results: results.map((r) => `${r.parameters?.find((p) => p.name === 'Project')?.value} › ${r.name}: ${r.status}, ${r.steps?.length ?? 0} steps`).sort(),
    globals: files.filter((f) => f.endsWith('-globals.json')).length,
  };
}

/** The shard each etcd test ran in (from its data dir) and the loopback ports its nodes listened on. */
function portsByShard(tests: ChildTest[]): Map<string, number[]> {
  const byShard = new Map<string, number[]>();
  for (const t of tests.filter((x) => x.bodies['events.json'])) {
    const spawns = (JSON.parse(t.bodies['events.json']!) as { events: { kind: string; detail?: string }[] }).events.filter((e) => e.kind === 'spawn');
    for (const s of spawns) {
      const shard = /\/output\/(shard-\d+-of-\d+)\//.exec(s.detail ?? '')?.[1] ?? 'whole';
      const ports = [...(s.detail ?? '').matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      byShard.set(shard, [...(byShard.get(shard) ?? []), ...ports]);
    }
  }
  return byShard;
}

function merge(out: string, args: string[]) {
  return execa('node', ['scripts/merge-shards.mjs', ...args, '--config', CONFIG, '--work-dir', path.join(out, 'merge-input')], { reject: false, all: true, env: { FAULTLINE_CHILD_OUT: path.resolve(out) } });
}

/** Where each test is (project, spec line, title): from the blobs, these must be the whole run's. */
const placesOf = (tests: ChildTest[]) => tests.map((t) => `${t.project} ${t.file}:${t.line}:${t.column} ${t.title}: ${t.status}`).sort();

test('two shards run at once and merged give the gap matrix and Allure results of one whole run', async ({}, testInfo) => {
  test.setTimeout(480_000);
  const [whole, sharded, partial] = ['whole', 'sharded', 'partial'].map((d) => testInfo.outputPath(d));
  try {
    const one = await runChild(whole!, GREP, env, CONFIG);
    expect(one.exitCode, one.stdout).toBe(0);

    const shards = await Promise.all([1, 2].map((i) => runChild(sharded!, [...GREP, `--shard=${i}/2`, '--workers=1'], env, CONFIG)));
    for (const s of shards) expect(s.exitCode, s.stdout).toBe(0);
    const blobs = path.join(sharded!, 'blob-report');
    expect(fs.readdirSync(blobs).sort()).toEqual(['shard-1-of-2', 'shard-2-of-2']);
    // A shard writes its blob only: the matrix and the Allure results come from the merge alone.
    expect(fs.existsSync(path.join(sharded!, 'gap-matrix'))).toBe(false);

    const merged = await merge(sharded!, [blobs]);
    expect(merged.exitCode, String(merged.all)).toBe(0);
    const wholeMatrix = readMatrix(whole!);
    const mergedMatrix = readMatrix(sharded!);
    // The comparison is over real results: the six tests ran and are in the matrix, none unmatched.
    const ran = wholeMatrix.rows.flatMap((r) => r.cells.flatMap((c) => c.variants.filter((v) => v.testId).map((v) => `${r.id} ${c.service} ${v.outcome}`)));
    expect(ran.sort()).toEqual(['S4 etcd passed', 'S4 etcd passed', 'S5 chainfire not configured', 'S5 etcd passed', 'S5 etcd passed', 'S5 flaredb not configured']);
    expect(comparable(mergedMatrix)).toEqual(comparable(wholeMatrix));
    // Each test links to its Allure result in the merged report too.
    expect(mergedMatrix.rows.flatMap((r) => r.cells.flatMap((c) => c.variants.filter((v) => v.testId && !v.allureLink)))).toEqual([]);
    expect(allureSummary(sharded!)).toEqual(allureSummary(whole!));
    expect(allureSummary(sharded!).globals).toBe(1);
    // …and Allure builds one report from them, with the whole run's counts (as `npm run report` does).
    const stats = async (dir: string) => {
      const r = await execa('npx', ['allure', 'generate', path.join(dir, 'allure-results'), '--config', 'allurerc.mjs', '-o', path.join(dir, 'allure-report')], { reject: false, all: true });
      expect(r.exitCode, String(r.all)).toBe(0);
      return JSON.parse(fs.readFileSync(path.join(dir, 'allure-report', 'summary.json'), 'utf8')).stats;
    };
    expect(await stats(sharded!)).toEqual(await stats(whole!));

    // Projects, the scenario(…) lines (runner/declare-at.ts) and statuses come through the blobs.
    const mergedTests = readChildResults(path.join(sharded!, 'results.json'));
    expect(placesOf(mergedTests)).toEqual(placesOf(one.tests));
    expect(placesOf(mergedTests).map((p) => p.replace(/: \w+$/, ''))).toContain('etcd s4-restart-recovery.spec.ts:68:1 S4 Service restart recovery › kill -9 + start, etcdctl on every member');

    // Each shard looked for ports in a range of its own (FAULTLINE_PORT_BASE + 400 × slot), found automatically.
    const ports = portsByShard(mergedTests);
    const base = PORT_BASES.shards;
    expect(Math.min(...ports.get('shard-1-of-2')!)).toBeGreaterThanOrEqual(base);
    expect(Math.max(...ports.get('shard-1-of-2')!)).toBeLessThan(base + 400);
    expect(Math.min(...ports.get('shard-2-of-2')!)).toBeGreaterThanOrEqual(base + 400);
    expect(Math.max(...ports.get('shard-2-of-2')!)).toBeLessThan(base + 800);

    // Without shard 2's blob: refused, saying which shard is missing; with --partial, another matrix.
    const refused = await merge(partial!, [path.join(blobs, 'shard-1-of-2')]);
    expect(refused.exitCode).toBe(1);
    expect(String(refused.all)).toContain('Shard 2 of 2 is missing');
    expect(fs.existsSync(path.join(partial!, 'gap-matrix'))).toBe(false);
    const part = await merge(partial!, [path.join(blobs, 'shard-1-of-2'), '--partial']);
    expect(part.exitCode, String(part.all)).toBe(0);
    const partialMatrix = readMatrix(partial!);
    expect(comparable(partialMatrix)).not.toEqual(comparable(wholeMatrix));
    const s5 = partialMatrix.rows.find((r) => r.id === 'S5')!.cells;
    expect(s5.filter((c) => c.service === 'chainfire' || c.service === 'flaredb').map((c) => c.outcome)).toEqual(['not run', 'not run']);
  } finally {
    expect(await etcdProcessesUnder(testInfo.outputPath())).toEqual([]);
  }
});
