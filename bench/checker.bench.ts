// How fast the history checker is on realistic register histories, and how its time grows with size.
// Run: npx tsx bench/checker.bench.ts   Goal: a 10k-operation history checked in under 1 s.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { checkHistory } from '../checker/index.ts';
import type { OpKind, OpRecord } from '../runner/records/history.ts';

/** One measured case; `growth` is best time relative to the 1k-operation case with the same clients. */
export interface CheckerBenchRow {
  ops: number;
  clients: number;
  keys: number;
  infoOps: number;
  /** Median over the runs. */
  ms: number;
  /** Fastest run: the least disturbed by other work on the machine; used for ops/s and growth. */
  bestMs: number;
  opsPerSecond: number;
  growth: number;
  verdict: string;
}

/** Shape of a simulated workload. */
export interface RegisterWorkload {
  ops: number;
  clients: number;
  keys: number;
  /** Share of writes whose outcome is unknown (half of them still take effect, possibly late). */
  infoRate: number;
  seed: number;
}

function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A linearizable history by construction: clients issue operations against one in-memory store that
 * applies each at a random instant inside its interval (info writes: later, or never).
 */
export function simulateRegisterHistory(w: RegisterWorkload): OpRecord[] {
  const rnd = seededRandom(w.seed);
  const clock = new Array<number>(w.clients).fill(0);
  const lastRead = new Map<string, string | null>();
  const ops: (OpRecord & { at?: number })[] = [];
  for (let id = 0; id < w.ops; id++) {
    let c = 0;
    for (let i = 1; i < w.clients; i++) if (clock[i]! < clock[c]!) c = i;
    const key = `k${Math.floor(rnd() * w.keys)}`;
    const invoke = clock[c]! + rnd() * 0.2;
    const latency = 0.3 + rnd() * 3 + (rnd() < 0.02 ? rnd() * 30 : 0);
    const complete = invoke + latency;
    clock[c] = complete;
    const roll = rnd();
    const op: OpKind = roll < 0.5 ? 'get' : roll < 0.8 ? 'put' : roll < 0.92 ? 'cas' : 'delete';
    const info = op !== 'get' && rnd() < w.infoRate;
    const at = !info ? invoke + rnd() * latency : rnd() < 0.5 ? invoke + rnd() * (latency + 20) : undefined;
    const record: OpRecord & { at?: number } = {
      id, process: `c${c}`, op, key, invoke, complete, outcome: info ? 'info' : 'ok', attempts: [],
    };
    if (at !== undefined) record.at = at;
    if (op === 'put' || op === 'cas') record.value = `c${c}-${id}`;
    if (op === 'cas') record.expected = lastRead.get(`${c}/${key}`) ?? null;
    ops.push(record);
  }
  const store = new Map<string, string | null>();
  for (const o of ops.filter((o) => o.at !== undefined).sort((a, b) => a.at! - b.at!)) {
    const current = store.get(o.key) ?? null;
    if (o.op === 'get') {
      o.result = current;
      lastRead.set(`${o.process.slice(1)}/${o.key}`, current);
    } else if (o.op === 'put') store.set(o.key, o.value ?? null);
    else if (o.op === 'delete') store.set(o.key, null);
    else if (current === (o.expected ?? null)) store.set(o.key, o.value ?? null);
    else if (o.outcome === 'ok') o.outcome = 'fail';
  }
  return ops.map(({ at: _at, ...o }) => o);
}

/** Median and fastest of `runs` timings, in ms: single runs on a shared machine are too noisy. */
function time(runs: number, body: () => void): { median: number; best: number } {
  const times = Array.from({ length: runs }, () => {
    const started = performance.now();
    body();
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, best: times[0]! };
}

/** Measures every size × clients case; returns the rows so bench/run-all.ts can collect them. */
export function run(sizes = [1_000, 10_000, 100_000], clientCounts = [4, 16], keys = 8): CheckerBenchRow[] {
  const rows: CheckerBenchRow[] = [];
  // Warm the JIT on a mid-size history first, so the smallest case is not charged for compilation.
  const warm = simulateRegisterHistory({ ops: 10_000, clients: 8, keys, infoRate: 0.05, seed: 1 });
  for (let i = 0; i < 3; i++) checkHistory(warm);
  for (const clients of clientCounts) {
    let base: number | undefined;
    for (const size of sizes) {
      const history = simulateRegisterHistory({ ops: size, clients, keys, infoRate: 0.05, seed: size + clients });
      let verdict = '';
      const { median, best } = time(size <= 1_000 ? 21 : size <= 10_000 ? 7 : 3, () => {
        verdict = checkHistory(history).verdict;
      });
      base ??= best;
      rows.push({
        ops: size, clients, keys, infoOps: history.filter((o) => o.outcome === 'info').length, ms: median, bestMs: best,
        opsPerSecond: size / (best / 1000), growth: best / base, verdict,
      });
    }
  }
  return rows;
}

/** The rows as a markdown table. */
export function formatRows(rows: readonly CheckerBenchRow[]): string {
  const lines = [
    '| ops | clients | keys | info ops | ms (median) | ms (best) | ops/s (best) | µs/op | time vs 1k | verdict |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) =>
      `| ${r.ops} | ${r.clients} | ${r.keys} | ${r.infoOps} | ${r.ms.toFixed(1)} | ${r.bestMs.toFixed(1)} | ${Math.round(r.opsPerSecond)} | ${((r.bestMs * 1000) / r.ops).toFixed(2)} | ×${r.growth.toFixed(1)} | ${r.verdict} |`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = run();
  console.log(formatRows(rows));
  const slow = rows.filter((r) => r.ops === 10_000 && r.ms >= 1000);
  const wrong = rows.filter((r) => r.verdict !== 'linearizable');
  if (slow.length > 0) console.log(`\nGoal missed: 10k operations took ${slow.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')} (goal < 1000 ms).`);
  if (wrong.length > 0) console.log(`\nWrong verdict on a linearizable history: ${wrong.map((r) => `${r.ops} ops → ${r.verdict}`).join(', ')}.`);
  process.exitCode = slow.length > 0 || wrong.length > 0 ? 1 : 0;
}
