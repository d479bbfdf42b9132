// Shared bench helpers: medians, temp dirs, a port allocator outside Playwright.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FaultlineError } from '../dsl/errors.ts';
import { PortAllocator } from '../runner/ports.ts';

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The q-quantile (0..1) of a list of numbers, nearest rank. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** A fresh temp dir, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `faultline-bench-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Ports for benches: below the ephemeral range, away from the workers' (FAULTLINE_BENCH_PORT_BASE, default 30000). */
export function benchPorts(): PortAllocator {
  return new PortAllocator(Number(process.env.FAULTLINE_BENCH_PORT_BASE ?? 30000));
}

/** True when this module is the entry point (run directly with tsx). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(url).pathname;
}

/** One bench's printed result. */
export interface BenchResult {
  name: string;
  ratio: number;
  goal: string;
  met: boolean;
  detail: string;
}

/** A bench that could not measure what it set out to (a missing log line, an unhealthy baseline). */
export class BenchError extends FaultlineError {
  override name = 'BenchError';
}

/** "min 1.2 · median 3.4 · p90 5.6 · max 9.9 ms (n=40)": the spread, so a reader sees the shape and not one number. */
export function spread(xs: number[], digits = 1, unit = 'ms'): string {
  const f = (x: number) => x.toFixed(digits);
  return `min ${f(Math.min(...xs))} · median ${f(median(xs))} · p90 ${f(quantile(xs, 0.9))} · max ${f(Math.max(...xs))} ${unit} (n=${xs.length})`;
}

/** The mean of the middle (1 - 2·trim) of the values: steady for a uniform spread, deaf to a few stalls. */
export function trimmedMean(xs: number[], trim = 0.1): number {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * trim);
  const mid = s.slice(cut, s.length - cut);
  return mid.reduce((sum, x) => sum + x, 0) / mid.length;
}

/**
 * The ratio of trimmed means over the even and over the odd samples: how far two runs of half the size
 * would disagree, measured in this run. Rounds are interleaved, so drift hits both halves alike.
 */
export function splitHalfRatios(ours: number[], base: number[]): [number, number] {
  const half = (xs: number[], r: number) => xs.filter((_, i) => i % 2 === r);
  return [trimmedMean(half(ours, 0)) / trimmedMean(half(base, 0)), trimmedMean(half(ours, 1)) / trimmedMean(half(base, 1))];
}
