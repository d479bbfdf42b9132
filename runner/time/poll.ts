// Polling on a fixed ladder of intervals, capped by a deadline (as Playwright's pollAgainstDeadline).
import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `probe` until it returns a value or the deadline passes; undefined on timeout. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  ladder: number[] = [25, 50, 100, 250],
  stop?: () => boolean,
): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - performance.now();
    if (left <= 0 || stop?.()) return undefined;
    await sleep(Math.min(ladder[Math.min(i, ladder.length - 1)]!, left));
  }
}
