// What a workload did, beside what it was asked (as k6 and wrk report it): achieved vs asked rate,
// latency percentiles, and a hint when its sequential clients could not keep up with the rate.
import type { WorkloadSpec } from '../../dsl/plan.ts';
import type { OpRecord } from './history.ts';

/** A workload's own account of itself, from the records of its operations. */
export interface WorkloadStats {
  id: number;
  clients: number;
  /** Operations per second asked for, all clients together. */
  askedRate: number;
  /** Operations completed per second of the workload's running time. */
  achievedRate: number;
  operations: number;
  outcomes: { ok: number; fail: number; info: number };
  /** From the first client's start to the last operation's end, ms. */
  durationMs: number;
  /** Per-operation latency (invoke → complete, retries included), ms. */
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Set when the clients fell short of the asked rate because each waited on its own operations. */
  saturated?: { clientsNeeded: number; hint: string; short: string };
}

/** The share of the asked rate below which a run counts as short of it (timer jitter stays above). */
const SHORTFALL = 0.9;

/** The stats of one workload; `records` are its own operations, `startedAt`/`endedAt` on the run's clock. */
export function workloadStats(spec: Pick<WorkloadSpec, 'id' | 'clients' | 'rate'>, records: readonly OpRecord[], startedAt: number, endedAt: number): WorkloadStats {
  const durationMs = Math.max(endedAt - startedAt, 1e-3);
  const latencies = records.map((r) => r.complete - r.invoke).sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]! : 0);
  const count = (o: OpRecord['outcome']) => records.filter((r) => r.outcome === o).length;
  const achievedRate = (records.length * 1000) / durationMs;
  const stats: WorkloadStats = {
    id: spec.id,
    clients: spec.clients,
    askedRate: spec.rate,
    achievedRate,
    operations: records.length,
    outcomes: { ok: count('ok'), fail: count('fail'), info: count('info') },
    durationMs,
    latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1) ?? 0 },
  };
  // Each client issues one operation at a time: it can keep its share of the rate only while an
  // operation takes less than its gap (clients / rate). Short of the rate with slower operations
  // than that, the clients were the limit, not the pacing.
  const meanMs = latencies.reduce((s, x) => s + x, 0) / Math.max(latencies.length, 1);
  const gapMs = (1000 * spec.clients) / spec.rate;
  if (achievedRate < SHORTFALL * spec.rate && meanMs > SHORTFALL * gapMs) {
    const clientsNeeded = Math.ceil((spec.rate * meanMs) / 1000);
    stats.saturated = {
      clientsNeeded,
      short: `clients saturated: use about ${clientsNeeded} for ${spec.rate} ops/s, or a lower rate`,
      hint: `the ${spec.clients} clients were saturated: each waits for its operation (mean ${formatMs(meanMs)}), so together they can issue about ${Math.round((1000 * spec.clients) / meanMs)} ops/s; for ${spec.rate} ops/s use about ${clientsNeeded} clients, or ask a lower rate`,
    };
  }
  return stats;
}

/** "1058 of 2000 ops/s (53 %), 5294 ops in 5.0 s; latency p50 14.2 ms · p90 22.0 ms · p99 40.1 ms · max 61.0 ms". */
export function describeWorkloadStats(s: WorkloadStats): string {
  const pct = Math.round((100 * s.achievedRate) / s.askedRate);
  const { p50, p90, p99, max } = s.latency;
  const outcomes = s.outcomes.fail || s.outcomes.info ? ` (${s.outcomes.ok} ok, ${s.outcomes.fail} fail, ${s.outcomes.info} info)` : '';
  return `${Math.round(s.achievedRate)} of ${s.askedRate} ops/s asked (${pct} %), ${s.operations} ops${outcomes} in ${(s.durationMs / 1000).toFixed(1)} s; latency p50 ${formatMs(p50)} · p90 ${formatMs(p90)} · p99 ${formatMs(p99)} · max ${formatMs(max)}`;
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
