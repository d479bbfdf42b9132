// Readability at the edges of the brief: 9 nodes, 300 operations, faults of every kind, over 2 minutes;
// and 3 nodes over 1 second. Bars in one row never overlap; the screenshot is attached to look at.
import { test, expect } from '@playwright/test';
import type { RunEvent } from '../../../runner/records/events.ts';
import type { Attempt, OpRecord } from '../../../runner/records/history.ts';
import { renderTimeline } from '../../../report/timeline/index.ts';
import { attachPicture, boxes, CHROMIUM, showSvg } from './show-svg.ts';

test.use(CHROMIUM);

/** A small deterministic generator, so the picture is the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function syntheticRun(nodes: number, ops: number, durationMs: number): { nodes: string[]; events: RunEvent[]; history: OpRecord[] } {
  const names = Array.from({ length: nodes }, (_, i) => `node-${i + 1}`);
  const rnd = random(7);
  const d = (f: number) => Math.round(durationMs * f);
  const all = [
    { t: 0, kind: 'cluster.start', detail: 'etcd x9' },
    ...names.map((n, i) => ({ t: 5 + i, kind: 'spawn', node: n })),
    ...names.map((n, i) => ({ t: d(0.03) + i * 7, kind: 'ready', node: n })),
    { t: d(0.04), kind: 'leader', node: 'node-1' },
    { t: d(0.15), kind: 'signal', node: 'node-1', detail: 'SIGKILL' },
    { t: d(0.15) + 3, kind: 'exit', node: 'node-1', signal: 'SIGKILL' },
    { t: d(0.19), kind: 'leader', node: 'node-2' },
    { t: d(0.3), kind: 'spawn', node: 'node-1' },
    { t: d(0.32), kind: 'ready', node: 'node-1' },
    { t: d(0.4), kind: 'fault.start', id: 1, holds: true, lane: 'blocked', title: 'block node-3', nodes: ['node-3'], fault: 'block', detail: 'block node-3 (iptables)' },
    { t: d(0.45), kind: 'signal', node: 'node-4', detail: 'SIGSTOP' },
    { t: d(0.5), kind: 'fault.end', id: 1, title: 'block node-3', nodes: ['node-3'], fault: 'block', detail: 'unblock node-3' },
    { t: d(0.55), kind: 'signal', node: 'node-4', detail: 'SIGCONT' },
    { t: d(0.6), kind: 'fault.start', id: 2, holds: true, lane: 'partitioned', title: 'partition', fault: 'partition', detail: 'partition [1,2] | [3..9]', nodes: names },
    { t: d(0.6) + 2, kind: 'fault.start', id: 3, holds: true, link: 'node-2→node-5', title: 'delay', fault: 'link', detail: 'delay 200ms node-2→node-5', nodes: ['node-2', 'node-5'] },
    { t: d(0.66), kind: 'leader', node: 'node-5' },
    { t: d(0.75), kind: 'fault.end', id: 2, title: 'partition', fault: 'partition', detail: 'heal', nodes: names },
    { t: d(0.8), kind: 'signal', node: 'node-5', detail: 'SIGTERM' },
    { t: d(0.81), kind: 'exit', node: 'node-5', exitCode: 0 },
    { t: d(0.84), kind: 'leader', node: 'node-6' },
  ] as Array<Record<string, unknown> & { t: number; node?: string; nodes?: string[] }>;
  const events = all
    .filter((e) => !e.node || names.includes(e.node))
    .map((e) => (Array.isArray(e.nodes) ? { ...e, nodes: e.nodes.filter((n) => names.includes(n)) } : e))
    .sort((a, b) => a.t - b.t) as unknown as RunEvent[];
  const history: OpRecord[] = [];
  for (let id = 1; id <= ops; id++) {
    const invoke = d(0.05) + rnd() * d(0.93);
    const tries = rnd() < 0.12 ? 2 + Math.floor(rnd() * 3) : 1;
    const attempts: Attempt[] = [];
    let t = invoke;
    for (let n = 1; n <= tries; n++) {
      const took = 2 + rnd() * (n < tries ? 300 : 40);
      attempts.push({ n, start: t, end: t + took, endpoint: `node-${1 + (id % nodes)}@127.0.0.1:2379`, status: n < tries ? 'UNAVAILABLE' : 'OK', error: n < tries ? 'connect ECONNREFUSED' : undefined });
      t += took + Math.min(500 * 2 ** (n - 1), durationMs / 20);
    }
    const outcome = tries > 3 ? (rnd() < 0.5 ? 'fail' : 'info') : 'ok';
    if (outcome !== 'ok') attempts[attempts.length - 1]!.status = 'DEADLINE_EXCEEDED';
    history.push({ id, process: `client-${1 + (id % 4)}`, op: rnd() < 0.6 ? 'put' : 'get', key: `k${id % 5}`, value: `v${id}`, invoke, complete: attempts[attempts.length - 1]!.end, outcome, attempts });
  }
  return { nodes: names, events, history };
}

for (const [nodes, ops, durationMs] of [
  [9, 300, 120_000],
  [3, 12, 1_000],
] as const) {
  test(`${nodes} nodes, ${ops} operations over ${durationMs / 1000}s: every bar drawn, none overlapping in its row`, async ({ page }, testInfo) => {
    const run = syntheticRun(nodes, ops, durationMs);
    const svg = renderTimeline({ title: `S9 synthetic › ${nodes} nodes [etcd]`, ...run, verdict: { text: 'unknown: search budget ran out', ok: 'unknown' }, end: durationMs });
    await testInfo.attach('timeline.svg', { body: svg, contentType: 'image/svg+xml' });
    const { xmlError } = await showSvg(page, svg);
    expect(xmlError).toBeNull();
    await expect(page.locator('.lane')).toHaveCount(nodes);
    await expect(page.locator('g.op')).toHaveCount(ops);
    await expect(page.locator('.verdict')).toHaveAttribute('data-verdict', 'unknown');
    for (const row of await page.locator('g.client').all()) {
      const sorted = (await boxes(row.locator('.op-bar'))).sort((a, b) => a.y - b.y || a.x - b.x);
      for (let i = 1; i < sorted.length; i++) {
        const [prev, cur] = [sorted[i - 1]!, sorted[i]!];
        if (prev.y === cur.y) expect(cur.x, 'bars on one track must not overlap').toBeGreaterThanOrEqual(prev.x + prev.width);
      }
    }
    await attachPicture(page, testInfo, `timeline-${nodes}-${ops}`);
  });
}
