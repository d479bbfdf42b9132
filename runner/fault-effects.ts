// What a healed fault measurably did, shown where people look: attached to its heal step (JSON) and as one
// line among the test's annotations (the gap matrix cell shows it), with the writes acknowledged meanwhile.
import { test } from '@playwright/test';
import { describeFaultEffect, type FaultEnd } from './faults/index.ts';
import type { Run } from './run.ts';

/** Attaches each ended fault's effect to the current step; faults that measure nothing are left out. */
export async function showFaultEffects(run: Run, ended: readonly Omit<FaultEnd, 't'>[]): Promise<void> {
  for (const end of ended) {
    if (!end.effect) continue;
    const times = run.events.events.flatMap((e) => ((e.kind === 'fault.start' || e.kind === 'fault.end') && e.id === end.id ? [e.t] : []));
    const [from, to] = [Math.min(...times), Math.max(...times)];
    // Acknowledged by the cluster while the fault held: every client's writes (the workload's and the clients under test's).
    const writes = run.history.filter((r) => r.op !== 'get' && r.outcome === 'ok' && r.complete >= from && r.complete <= to).length;
    const line = `${describeFaultEffect(end.effect)}; ${writes} writes acknowledged while it held (${Math.round(to - from)} ms)`;
    await test.info().attach(`${end.fault}-${end.nodes.join('-')}-effect.json`, { body: JSON.stringify({ ...end.effect, fromMs: from, toMs: to, writesAcknowledged: writes, summary: line }, null, 2), contentType: 'application/json' });
    test.info().annotations.push({ type: 'fault-effect', description: line });
  }
}
