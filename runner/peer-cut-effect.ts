// What a one-way peer cut did, in the evidence: who stayed leader, who stepped down, what the clients saw.
// Why: a one-way partition's outcome depends on the system's transport; the report must show it, not assume it.
import { test } from '@playwright/test';
import { formatMs } from '../dsl/duration.ts';
import type { LinkRef } from '../dsl/plan.ts';
import { timedLines, type TimedLine } from './log-times.ts';
import { linkPairs } from './peer-links.ts';
import type { Run } from './run.ts';

/** The effect of one cut, as numbers and lines on the run's clock. */
export interface CutEffect {
  /** The fault that ended, e.g. "refuse" (a one-way cut) or "blackhole". */
  fault: string;
  links: string[];
  from: number;
  to: number;
  leaderBefore?: string;
  leaderAfter?: string;
  roleChanges: { node: string; t: number; became: 'leader' | 'follower'; term?: string }[];
  dials: { link: string; count: number; refused: number }[];
  ops: { ok: number; fail: number; info: number; errors: string[] };
}

/** Computes the effect of the cut that `heal` just ended on `link`. */
export async function cutEffect(run: Run, link: LinkRef): Promise<CutEffect | undefined> {
  const pairs = await linkPairs(run, link);
  await run.network.syncLinks();
  const proxies = pairs.map(([f, t]) => run.network.link(f, t));
  const span = proxies[0]!.records.faults.at(-1);
  if (!span) return undefined;
  const from = span.startedAt;
  const to = span.endedAt ?? run.clock.now();
  const cluster = run.clusterOfNode(pairs[0]![0]);
  const logs = cluster.service.logs;
  const roleChanges: CutEffect['roleChanges'] = [];
  let leaderBefore: string | undefined;
  let lastBefore = -Infinity;
  for (const node of cluster.spec.nodes) {
    for (const [field, became] of [['leader', 'leader'], ['follower', 'follower']] as const) {
      const pattern = logs?.[field];
      if (!logs || !pattern) continue;
      const lines: TimedLine[] = timedLines(cluster.service.name, logs, field, pattern, node.logFile, run.clock);
      for (const l of lines) {
        if (l.t >= from && l.t <= to) roleChanges.push({ node: node.name, t: l.t, became, term: l.groups.term });
        if (became === 'leader' && l.t < from && l.t > lastBefore) [leaderBefore, lastBefore] = [node.name, l.t];
      }
    }
  }
  roleChanges.sort((a, b) => a.t - b.t);
  const ops = run.history.filter((r) => r.invoke <= to && r.complete >= from);
  return {
    fault: span.fault.kind === 'refuse' ? 'One-way cut' : `${span.description} (one way)`,
    links: pairs.map(([f, t]) => `${f} → ${t}`),
    from,
    to,
    leaderBefore,
    leaderAfter: await cluster.leader(2000),
    roleChanges,
    dials: proxies.map((p) => {
      const inWindow = p.records.connections.filter((c) => c.acceptedAt >= from && c.acceptedAt <= to);
      return { link: p.name, count: inWindow.length, refused: inWindow.filter((c) => c.closedBy === 'refused-by-fault').length };
    }),
    ops: {
      ok: ops.filter((r) => r.outcome === 'ok').length,
      fail: ops.filter((r) => r.outcome === 'fail').length,
      info: ops.filter((r) => r.outcome === 'info').length,
      errors: [...new Set(ops.flatMap((r) => (r.error ? [r.error.split('\n')[0]!] : [])))].slice(0, 3),
    },
  };
}

/** Markdown for the evidence (not HTML: nothing to escape). */
export function describeCutEffect(e: CutEffect): string {
  const role = e.roleChanges.length
    ? e.roleChanges.map((r) => `| +${formatMs(r.t - e.from)} | ${r.node} | became ${r.became}${r.term ? ` at term ${r.term}` : ''} |`).join('\n')
    : '| – | – | no node changed role (from the servers\' own logs) |';
  return [
    `# ${e.fault} of ${e.links.join(', ')}`,
    '',
    `From ${formatMs(e.from)} to ${formatMs(e.to)} (${formatMs(e.to - e.from)}); the reverse direction flowed.`,
    '',
    `- leader before (last "became leader" in the logs): ${e.leaderBefore ?? 'unknown'}`,
    `- leader after the heal (polled): ${e.leaderAfter ?? 'none'} — ${e.leaderBefore && e.leaderAfter === e.leaderBefore && !e.roleChanges.some((r) => r.became === 'leader') ? 'it stayed leader' : 'leadership moved or was lost'}`,
    `- clients during the cut: ${e.ops.ok} ok, ${e.ops.fail} failed, ${e.ops.info} indeterminate${e.ops.errors.length ? `; errors: ${e.ops.errors.join(' | ')}` : ''}`,
    '',
    '| time from cut | node | role change |',
    '|---|---|---|',
    role,
    '',
    '| link | dials during the cut | reset at once |',
    '|---|---|---|',
    ...e.dials.map((d) => `| ${d.link} | ${d.count} | ${d.refused} |`),
    '',
  ].join('\n');
}

/** Attaches the effect of the cut a heal just ended, and notes it on the run's events. */
export async function attachCutEffect(run: Run, link: LinkRef): Promise<void> {
  const effect = await cutEffect(run, link);
  if (!effect) return;
  run.events.record('peer.cut.effect', { detail: `${effect.links.join(', ')}: leader ${effect.leaderBefore ?? '?'} → ${effect.leaderAfter ?? 'none'}, ${effect.roleChanges.length} role change(s), clients ${effect.ops.ok} ok / ${effect.ops.fail + effect.ops.info} not` });
  await test.info().attach(`peer-cut-${effect.links[0]!.replace(/ → /g, '-to-')}${effect.links.length > 1 ? `-and-${effect.links.length - 1}-more` : ''}.md`, { body: describeCutEffect(effect), contentType: 'text/markdown' });
}
