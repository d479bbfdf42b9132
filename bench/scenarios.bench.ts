// The etcd scenario suite, twice: with 1 worker and with 2. Prints the parallel speed-up
// (goal >= 1.6x) and, per scenario, wall time against the waits the plan itself contains
// (goal <= 1.25x): every step counts as inherent (processes, protocol waits, asked durations)
// except cluster verdict checks, which are the harness's own cost.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { isMain, tempDir, type BenchResult } from './harness.ts';

interface StepJson { title: string; duration: number; steps?: StepJson[] }
interface TestJson { title: string; duration: number; status: string; outcome: string; error?: string; steps: StepJson[] }

const VERDICT = /^expect the cluster to (be consistent|have lost no acknowledged write)/;

async function suite(workers: number): Promise<{ wallMs: number; tests: TestJson[] }> {
  const { dir, remove } = tempDir(`suite-w${workers}`);
  const out = path.join(dir, 'results.json');
  const t0 = performance.now();
  const r = await execa('npx', ['playwright', 'test', '--project=etcd', `--workers=${workers}`, '--reporter=json', `--output=${path.join(dir, 'out')}`], {
    reject: false,
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out, FAULTLINE_PORT_BASE: String(21000 + workers * 1000) },
  });
  const wallMs = performance.now() - t0;
  if (!fs.existsSync(out)) throw new Error(`suite with ${workers} worker(s) wrote no results: ${r.stderr}`);
  const tests: TestJson[] = [];
  const walk = (s: any) => {
    for (const spec of s.specs ?? []) for (const t of spec.tests) for (const res of t.results) tests.push({ title: spec.title, duration: res.duration, status: res.status, outcome: t.status, error: res.error?.message, steps: res.steps ?? [] });
    (s.suites ?? []).forEach(walk);
  };
  JSON.parse(fs.readFileSync(out, 'utf8')).suites.forEach(walk);
  remove();
  return { wallMs, tests };
}

export async function run(): Promise<BenchResult[]> {
  const one = await suite(1);
  const two = await suite(2);
  const speedup = one.wallMs / two.wallMs;
  const results: BenchResult[] = [
    { name: 'parallel projects (suite, 1 vs 2 workers)', ratio: speedup, goal: '>= 1.6', met: speedup >= 1.6, detail: `1 worker ${(one.wallMs / 1000).toFixed(1)} s, 2 workers ${(two.wallMs / 1000).toFixed(1)} s, ${one.tests.length} tests` },
  ];
  for (const t of one.tests.filter((x) => x.status !== 'skipped')) {
    if (t.outcome !== 'expected') {
      results.push({ name: `scenario overhead: ${t.title}`, ratio: NaN, goal: '<= 1.25', met: false, detail: `the test failed, no overhead measured: ${(t.error ?? '').split('\n')[0]}` });
      continue;
    }
    const top = t.steps.filter((s) => !['Before Hooks', 'After Hooks'].includes(s.title));
    // A verdict's own work is overhead; the workload time it waits for is the plan's (a nested step).
    const waited = (s: StepJson) => (s.steps ?? []).filter((n) => n.title === 'let the workloads run to their end').reduce((a, n) => a + n.duration, 0);
    const inherent = top.reduce((a, s) => a + (VERDICT.test(s.title) ? waited(s) : s.duration), 0);
    const ratio = t.duration / inherent;
    results.push({ name: `scenario overhead: ${t.title}`, ratio, goal: '<= 1.25', met: ratio <= 1.25, detail: `wall ${t.duration} ms, plan's own steps ${inherent} ms` });
  }
  return results;
}

if (isMain(import.meta.url)) console.log(await run());
