// Shared bench helpers: medians, temp dirs, a port allocator outside Playwright.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
