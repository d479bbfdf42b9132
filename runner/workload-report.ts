// A workload's account in the test report: one step per ended workload whose title says what it did
// against what it was asked (and why it fell short), with its stats attached, as k6 and wrk print them.
import { test } from '@playwright/test';
import type { EventLog } from './records/events.ts';
import { describeWorkloadStats } from './records/workload-stats.ts';

const shown = new WeakSet<object>();

/** One step per workload that ended and was not shown yet (`id`: only that one). */
export async function showWorkloads(events: EventLog, id?: number): Promise<void> {
  for (const event of events.events) {
    if (event.kind !== 'workload.stop' || shown.has(event)) continue;
    const { stats } = event;
    if (id !== undefined && stats.id !== id) continue;
    shown.add(event);
    const title = `workload ${stats.id}: ${describeWorkloadStats(stats)}${stats.saturated ? ` — ${stats.saturated.hint}` : ''}`;
    await test.step(title, async () => {
      await test.info().attach(`workload-${stats.id}-stats.json`, { body: `${JSON.stringify(stats, null, 2)}\n`, contentType: 'application/json' });
    });
  }
}
