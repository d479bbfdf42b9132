// How fast `faultline check` starts, and what checking 100 files in one call saves over 100 calls.
// Run: npx tsx bench/cli-startup.bench.ts   Goals: start-up well under 0.3 s (CPU, and wall next to a
// bare `node -e 0` measured in the same rounds); 100 files in one call at most 0.1x the time of 100 calls.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHistory } from '../checker/index.ts';
import { simulateRegisterHistory } from './checker.bench.ts';
import { BenchError, isMain, median, tempDir, type BenchResult } from './harness.ts';
import { timedRun, type TimedRun } from './timed-run.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const node = process.execPath;

function medians(runs: TimedRun[]): { wall: number; cpu?: number } {
  const cpus = runs.map((r) => r.cpuMs).filter((c): c is number => c !== undefined);
  return { wall: median(runs.map((r) => r.wallMs)), cpu: cpus.length ? median(cpus) : undefined };
}

const ms = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(0)} ms`);

/** Interleaved rounds of: bare node, the compiled check, the TypeScript CLI through tsx; then 100 files. */
export async function run(rounds = 11, files = 100): Promise<BenchResult[]> {
  const { dir, remove } = tempDir('cli');
  try {
    const paths = Array.from({ length: files }, (_, i) => {
      const p = path.join(dir, `h${i}.jsonl`);
      fs.writeFileSync(p, formatHistory(simulateRegisterHistory({ ops: 200, clients: 4, keys: 4, infoRate: 0.05, seed: i + 1 })));
      return p;
    });
    timedRun(node, ['bin/faultline.mjs', 'check', paths[0]!], { cwd: root }); // builds the compiled check if stale
    const bare: TimedRun[] = [];
    const compiled: TimedRun[] = [];
    const tsx: TimedRun[] = [];
    const viaTsx = `import('./cli/main.ts').then(async (m) => { process.exitCode = await m.main(['check', ${JSON.stringify(paths[0])}]); })`;
    for (let i = 0; i < rounds; i++) {
      bare.push(timedRun(node, ['-e', '0'], { cwd: root }));
      compiled.push(timedRun(node, ['bin/faultline.mjs', 'check', paths[0]!], { cwd: root }));
      if (i < 5) tsx.push(timedRun(node, ['--import', 'tsx', '-e', viaTsx], { cwd: root }));
    }
    for (const r of [...compiled, ...tsx]) if (r.code !== 0) throw new BenchError(`check exited ${r.code}: ${r.stderr}`);
    const [b, c, t] = [medians(bare), medians(compiled), medians(tsx)];
    const one = timedRun(node, ['bin/faultline.mjs', 'check', ...paths], { cwd: root });
    if (one.code !== 0) throw new BenchError(`check of ${files} files exited ${one.code}: ${one.stderr}`);
    let manyWall = 0;
    let manyCpu = 0;
    for (const p of paths) {
      const r = timedRun(node, ['bin/faultline.mjs', 'check', p], { cwd: root });
      if (r.code !== 0) throw new BenchError(`check of ${p} exited ${r.code}: ${r.stderr}`);
      manyWall += r.wallMs;
      manyCpu += r.cpuMs ?? 0;
    }
    const startCpu = c.cpu ?? c.wall;
    return [
      {
        name: 'CLI start-up (faultline check, one small file)',
        ratio: c.wall / b.wall,
        goal: 'CPU < 300 ms; wall vs bare node -e 0',
        met: startCpu < 300,
        detail: `median over ${rounds} interleaved rounds: compiled check wall ${ms(c.wall)}, CPU ${ms(c.cpu)}; bare node -e 0 wall ${ms(b.wall)}, CPU ${ms(b.cpu)}; the TypeScript CLI through tsx (the old path) wall ${ms(t.wall)}, CPU ${ms(t.cpu)} (${tsx.length} rounds)`,
      },
      {
        name: `faultline check: ${files} files in one call vs ${files} calls`,
        ratio: one.wallMs / manyWall,
        goal: '<= 0.10',
        met: one.wallMs / manyWall <= 0.1,
        detail: `one call ${ms(one.wallMs)} wall, ${ms(one.cpuMs)} CPU; ${files} calls ${ms(manyWall)} wall, ${ms(manyCpu || undefined)} CPU (200 operations per file)`,
      },
    ];
  } finally {
    remove();
  }
}

if (isMain(import.meta.url)) for (const r of await run()) console.log(`${r.met ? 'ok  ' : 'MISS'} ${r.name}: ${r.ratio.toFixed(3)} (goal ${r.goal}) — ${r.detail}`);
