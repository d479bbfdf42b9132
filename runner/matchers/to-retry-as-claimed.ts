// toRetryAsClaimed: a server's retries to a peer, seen at the gate and in its own log, against what the service claims.
import { formatMs } from '../../dsl/duration.ts';
import { backoffMs } from '../../dsl/policy.ts';
import type { PeerAttempt, PeerRetryObservation } from './peer-retry-observation.ts';
import type { PeerRetryClaim } from '../contract/service.ts';

/** How closely measured gaps must follow the claim. */
export interface ClaimTolerance {
  /** Relative deviation allowed per gap (0.5 = ±50 %), plus `slackMs` for timers on a loaded machine. */
  tolerance: number;
  slackMs: number;
  /** Share of gaps that must be within tolerance (one late timer must not fail a 100 ms loop). */
  quorum: number;
  /** Attempts each claimed loop must show; default 4 for a claim without limit (3 retries), 2 otherwise. */
  atLeast?: number;
}

/** The verdict for one view (gate or log) of one link. */
export interface ViewVerdict {
  view: 'gate' | 'log';
  attempts: number;
  series: { name: string; attempts: number; medianGapMs?: number; gapsMs: number[]; within: number; judged: number }[];
  ok: boolean;
  why: string;
}

/** "every 100ms, unbounded" / "3 retries from 500ms ×2 up to 30s". */
export function describeClaim(c: PeerRetryClaim): string {
  const count = c.retries === 'unbounded' ? 'without limit' : `${c.retries} retries`;
  const jitter = c.jitter ? ` ±${Math.round(c.jitter * 100)} %` : '';
  if (c.atMostEvery) return `at most one retry every ${formatMs(c.initialMs)} per loop${c.series ? ` (${c.series.join(', ')})` : ''}, ${count}`;
  return c.multiplier === 1 ? `a retry every ${formatMs(c.initialMs)}${jitter}, ${count}` : `${count} from ${formatMs(c.initialMs)} ×${c.multiplier} up to ${formatMs(c.maxMs)}${jitter}`;
}

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A backoff's gaps one by one (their growth is the claim); a steady loop's by its median. */
function gapsText(s: { gapsMs: number[]; medianGapMs?: number }, claim: PeerRetryClaim): string {
  if (claim.multiplier !== 1 && s.gapsMs.length <= 8) return `gaps ${s.gapsMs.map((g) => formatMs(g)).join(', ') || '–'}`;
  return `median gap ${s.medianGapMs === undefined ? '–' : formatMs(s.medianGapMs)}`;
}

/**
 * Judges one view: per series, each gap against the claim's pause; the count against its retries.
 * At the gate a dial is timed when the gate's thread accepts it: one late accept lengthens one gap and
 * shortens the next by as much, so under a rate-limit claim a short gap there counts as within when it
 * and the gap before it together keep the claimed rate (measured: S1 under a loaded suite). The log's
 * lines carry the server's own times and are judged gap by gap.
 */
export function judgeView(view: 'gate' | 'log', attempts: PeerAttempt[], claim: PeerRetryClaim, tol: ClaimTolerance): ViewVerdict {
  const bySeries = new Map<string, number[]>();
  for (const a of attempts) bySeries.set(a.series, [...(bySeries.get(a.series) ?? []), a.t]);
  const judged = [...bySeries].filter(([name]) => !claim.series || claim.series.includes(name));
  const series = judged.map(([name, ts]) => {
    ts.sort((a, b) => a - b);
    // The first retry may come at once (a rate limiter's saved token): spacing is judged from the second on.
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!).slice(claim.multiplier === 1 ? 1 : 0);
    const offset = claim.multiplier === 1 ? 1 : 0;
    const within = gaps.filter((g, i) => {
      const expected = backoffMs({ initialMs: claim.initialMs, multiplier: claim.multiplier, maxMs: claim.maxMs }, i + offset);
      // A rate limiter is never early: only timer slack below the floor.
      if (claim.atMostEvery) return g >= expected - tol.slackMs || (view === 'gate' && i > 0 && g + gaps[i - 1]! >= 2 * expected - tol.slackMs);
      // The claimed jitter is part of the claim: a pause within it is as claimed.
      return Math.abs(g - expected) <= expected * (tol.tolerance + (claim.jitter ?? 0)) + tol.slackMs;
    }).length;
    return { name, attempts: ts.length, medianGapMs: median(gaps), gapsMs: gaps, within, judged: gaps.length };
  });
  const retries = Math.max(0, ...series.map((s) => s.attempts - 1));
  const atLeast = tol.atLeast ?? (claim.retries === 'unbounded' ? 4 : 2);
  const fewest = Math.min(...series.map((s) => s.attempts));
  const countOk = fewest >= atLeast && (claim.retries === 'unbounded' || retries <= claim.retries);
  const spacingOk = series.every((s) => s.judged === 0 || s.within >= Math.ceil(s.judged * tol.quorum));
  const ok = series.length > 0 && countOk && spacingOk;
  const why = !attempts.length
    ? 'no attempt seen'
    : !countOk
      ? `${fewest}–${retries + 1} attempts per loop, expected at least ${atLeast}${claim.retries === 'unbounded' ? ' (the claim sets no limit)' : ` and at most ${claim.retries + 1} (claimed ${claim.retries} retries)`}`
      : !spacingOk
        ? `gaps off the claim: ${series.map((s) => `${s.name} ${s.within}/${s.judged} within`).join(', ')}`
        : `${series.map((s) => `${claim.series ? `${s.name}: ` : ''}${s.attempts} attempts, ${gapsText(s, claim)} (${s.within}/${s.judged} within)`).join('; ')}${attempts.length > series.reduce((n, s) => n + s.attempts, 0) ? `; ${attempts.length - series.reduce((n, s) => n + s.attempts, 0)} more of no claimed loop` : ''}`;
  return { view, attempts: attempts.length, series, ok, why };
}

/** Passes when the gate's dials and (where the service says how) its log lines both follow the claim. */
export function toRetryAsClaimed(received: { observation: PeerRetryObservation; claim: PeerRetryClaim; tolerance: ClaimTolerance }) {
  const { observation: o, claim, tolerance } = received;
  const gate = o.dials ? judgeView('gate', o.dials, claim, tolerance) : undefined;
  const log = o.logLines ? judgeView('log', o.logLines, claim, tolerance) : undefined;
  // Judged on what was observed: a link without a gate by its log alone; never on nothing.
  const pass = (gate !== undefined || log !== undefined) && (gate?.ok ?? true) && (log?.ok ?? true);
  const claimed = `${claim.what}: ${describeClaim(claim)} (${claim.source})`;
  const gateText = gate ? `${gate.ok ? 'ok' : 'NOT AS CLAIMED'} — ${gate.why}` : 'no gate on this link (judged by the log alone)';
  return {
    pass,
    name: 'toRetryAsClaimed',
    expected: claimed,
    actual: `gate: ${gate ? gate.why : 'none'}${log ? `; log: ${log.why}` : '; log: the definition has no retry line pattern'}`,
    message: () =>
      `${pass ? 'Expected not' : 'Expected'} the retries on ${o.link} after ${o.fromWhat} to follow the claim\n` +
      `  claimed:  ${claimed}\n` +
      `  measured at the gate: ${gateText}\n` +
      `  measured in the log:  ${log ? `${log.ok ? 'ok' : 'NOT AS CLAIMED'} — ${log.why}` : 'no retry line pattern in the definition'}` +
      (o.standIn ? `\n  note: the log patterns are stand-ins (${o.standIn})` : ''),
  };
}
