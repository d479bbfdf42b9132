// toBeLinearizable / toHaveLostNothing: verdicts over a whole history.
import type { CheckResult } from '../../checker/index.ts';

/** The checker's verdict is "linearizable"; "unknown" (budget exhausted) never passes. */
export function toBeConsistent(received: CheckResult) {
  const pass = received.verdict === 'linearizable';
  const failures = received.keys.filter((k) => k.verdict !== 'linearizable');
  return {
    pass,
    name: 'toBeConsistent',
    expected: 'linearizable',
    actual: received.verdict,
    message: () =>
      pass
        ? `Expected the history not to be linearizable, but all ${received.keys.length} key(s) are.`
        : `Expected the history (${received.ops} operations, ${received.keys.length} keys) to be linearizable with no lost write; verdict: ${received.verdict}.\n` +
          failures.map((k) => `  key ${JSON.stringify(k.key)}: ${k.verdict}${k.failure ? `\n${indent(k.failure.message)}` : k.reason ? ` (${k.reason})` : ''}`).join('\n') +
          received.lostWrites.map((l) => `\n${indent(l.message)}`).join(''),
  };
}

/** No lost acknowledged write and every final read answered. */
export function toHaveNoDataLoss(received: { lost: { node: string; message: string }[]; failedReads: string[]; keys: number }) {
  const pass = received.lost.length === 0 && received.failedReads.length === 0;
  return {
    pass,
    name: 'toHaveNoDataLoss',
    expected: 'no lost acknowledged write',
    actual: `${received.lost.length} lost, ${received.failedReads.length} unreadable`,
    message: () =>
      pass
        ? `Expected a lost write, but all ${received.keys} final reads returned acknowledged data.`
        : `Expected every acknowledged write to be readable from every running node:\n` +
          received.lost.map((l) => `  through ${l.node}:\n${indent(l.message, 4)}`).join('\n') +
          received.failedReads.map((f) => `\n  final read failed: ${f}`).join(''),
  };
}

function indent(text: string, n = 4): string {
  return text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}
