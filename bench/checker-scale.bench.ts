// The checker at scale, as a user runs it (the CLI, one process per file): a 150k- and a 1,000,000-
// operation history with their peak RSS, the ghost-read histories that used to exhaust memory, and
// Porcupine on the same files where it can be built (Go on PATH and PORCUPINE_SRC, a local checkout).
// Run: PORCUPINE_SRC=<checkout> npx tsx bench/checker-scale.bench.ts
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHistory } from '../checker/index.ts';
import { ghostReadHistory } from '../test/fixtures/ghost-read-history.ts';
import { simulateRegisterHistory } from './checker.bench.ts';
import { isMain, tempDir, type BenchResult } from './harness.ts';
import { canMeasureMemory, timedRun, type TimedRun } from './timed-run.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const VERDICT = /Verdict: (LINEARIZABLE|NOT LINEARIZABLE|UNKNOWN)/;
const PORCUPINE_TIMEOUT_S = 600;

/** Porcupine built from PORCUPINE_SRC with bench/porcupine/main.go, or why it cannot be. */
function buildPorcupine(dir: string): { bin: string } | { why: string } {
  const src = process.env.PORCUPINE_SRC;
  if (spawnSync('go', ['version']).status !== 0) return { why: 'Go is not installed (Debian: apt-get install golang-go)' };
  if (!src || !fs.existsSync(path.join(src, 'porcupine.go'))) return { why: 'PORCUPINE_SRC does not name a checkout of github.com/anishathalye/porcupine' };
  const work = path.join(dir, 'porcupine');
  fs.mkdirSync(work);
  for (const f of ['main.go', 'go.mod']) fs.copyFileSync(path.join(root, 'bench', 'porcupine', f), path.join(work, f));
  const env = { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod' };
  const edit = spawnSync('go', ['mod', 'edit', `-replace=github.com/anishathalye/porcupine=${path.resolve(src)}`], { cwd: work, env, encoding: 'utf8' });
  const build = edit.status === 0 ? spawnSync('go', ['build', '-o', 'porcupine-check', '.'], { cwd: work, env, encoding: 'utf8' }) : edit;
  return build.status === 0 ? { bin: path.join(work, 'porcupine-check') } : { why: `go build failed: ${build.stderr.trim().split('\n').slice(-3).join(' ')}` };
}

function faultline(file: string, ...flags: string[]): TimedRun & { verdict: string } {
  const r = timedRun(process.execPath, ['bin/faultline.mjs', 'check', file, ...flags], { cwd: root });
  return { ...r, verdict: VERDICT.exec(r.stdout)?.[1]?.toLowerCase() ?? `none (exit ${r.code}, signal ${r.signal})` };
}

const mb = (x: number | undefined): string => (x === undefined ? 'n/a (no /usr/bin/time)' : `${x.toFixed(0)} MB`);
const s = (msValue: number | undefined): string => (msValue === undefined ? 'n/a' : `${(msValue / 1000).toFixed(1)} s`);

/** One row per history: Faultline's verdict, time and peak RSS, beside Porcupine's where it runs. */
export async function run(sizes = [150_000, 1_000_000]): Promise<BenchResult[]> {
  const { dir, remove } = tempDir('checker-scale');
  try {
    const porcupine = buildPorcupine(dir);
    const rows: BenchResult[] = [];
    for (const ops of sizes) {
      const file = path.join(dir, `sim-${ops}.jsonl`);
      fs.writeFileSync(file, formatHistory(simulateRegisterHistory({ ops, clients: 16, keys: 64, infoRate: 0.02, seed: ops })));
      const f = faultline(file);
      let beside = `Porcupine not run: ${'why' in porcupine ? porcupine.why : ''}`;
      let ratio = NaN;
      if ('bin' in porcupine) {
        const p = timedRun(porcupine.bin, [file, String(PORCUPINE_TIMEOUT_S)], { timeoutMs: (PORCUPINE_TIMEOUT_S + 60) * 1000 });
        const verdict = p.code === 0 ? (JSON.parse(p.stdout.trim()) as { verdict: string }).verdict : `none (exit ${p.code}, signal ${p.signal})`;
        ratio = (f.cpuMs ?? f.wallMs) / (p.cpuMs ?? p.wallMs);
        beside = `Porcupine ${verdict}, ${s(p.wallMs)} wall, ${s(p.cpuMs)} CPU, peak RSS ${mb(p.rssMb)}`;
      }
      rows.push({
        name: `checker at scale: ${ops.toLocaleString('en-US')} operations (Faultline CPU / Porcupine CPU)`,
        ratio,
        goal: 'a real verdict; peak RSS < 2 GB',
        met: f.verdict === 'linearizable' && f.code === 0 && (f.rssMb ?? 0) < 2048,
        detail: `Faultline ${f.verdict} (exit ${f.code}), ${s(f.wallMs)} wall, ${s(f.cpuMs)} CPU, peak RSS ${mb(f.rssMb)}; ${beside}; 16 clients, 64 keys, 2 % info writes`,
      });
    }
    const ghost = path.join(dir, 'ghost.jsonl');
    fs.writeFileSync(ghost, formatHistory(ghostReadHistory()));
    const g = faultline(ghost);
    rows.push({
      name: 'ghost read (1,000 info puts, 1,000 overlapping reads, one of a value never written)',
      ratio: (g.rssMb ?? NaN) / 2048,
      goal: 'ends (exit 0/1/2) with peak RSS < 2 GB',
      met: g.code !== null && g.code <= 2 && (g.rssMb ?? 0) < 2048,
      detail: `${g.verdict} (exit ${g.code}) in ${s(g.wallMs)}, peak RSS ${mb(g.rssMb)}`,
    });
    const future = path.join(dir, 'ghost-future.jsonl');
    fs.writeFileSync(future, formatHistory(ghostReadHistory(1_000, true)));
    const budget = 256;
    const h = faultline(future, '--memory', String(budget));
    rows.push({
      name: `ghost read from the future (the same, its value written after every read): search under --memory ${budget}`,
      ratio: (h.rssMb ?? NaN) / budget,
      goal: 'exit 2 "memory budget"; peak RSS near the budget',
      met: h.code === 2 && /memory budget of \d+ MB exceeded/.test(h.stdout) && (h.rssMb ?? 0) < budget * 2 + 200,
      detail: `${h.verdict} (exit ${h.code}) in ${s(h.wallMs)}, peak RSS ${mb(h.rssMb)}; ${/after (\d+) states/.exec(h.stdout)?.[1] ?? '?'} states${canMeasureMemory ? '' : ' (install GNU time for RSS)'}`,
    });
    return rows;
  } finally {
    remove();
  }
}

if (isMain(import.meta.url)) for (const r of await run()) console.log(`${r.met ? 'ok  ' : 'MISS'} ${r.name}: ${r.ratio.toFixed(3)} (goal ${r.goal}) — ${r.detail}`);
