// toRetryAsClientClaims: what a client under test did in one operation — its own reported tries and the
// connections its links saw — held against what its documentation claims, both shown side by side.
import { formatMs } from '../../dsl/duration.ts';
import { backoffMs } from '../../dsl/policy.ts';
import type { OpRecord } from '../records/history.ts';
import type { BackoffClaim, ClientClaims } from '../contract/subject-config.ts';

/** What the step hands the matcher: the record, the client's claims, the tolerance. */
export interface ClaimObservation {
  record: OpRecord;
  client: string;
  service: string;
  claims: ClientClaims;
  /** Allowed relative deviation of each gap, on top of the client's own jitter (plus 50 ms for timers). */
  tolerance: number;
}

/** One gap between consecutive tries (or connections) against the claimed pause. */
interface Gap {
  actualMs: number;
  expectedMs: number;
  ok: boolean;
}

const SLACK_MS = 50;

/** Gaps between consecutive times against the claimed backoff (pure). */
function gapsAgainst(times: number[], claim: BackoffClaim, tolerance: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const expectedMs = backoffMs(claim, i - 1);
    const actualMs = times[i]! - times[i - 1]!;
    gaps.push({ actualMs, expectedMs, ok: Math.abs(actualMs - expectedMs) <= expectedMs * (tolerance + claim.jitter) + SLACK_MS });
  }
  return gaps;
}

const at = (times: number[], from: number) => times.map((t) => formatMs(t - from)).join(' / ');
const gapText = (gaps: Gap[]) => gaps.map((g) => `${formatMs(g.actualMs)}${g.ok ? '' : ` (claimed ${formatMs(g.expectedMs)})`}`).join(', ');
const backoffText = (c: BackoffClaim) => `${formatMs(c.initialMs)}${c.multiplier === 1 ? ' apart' : ` ×${c.multiplier}`}${c.maxMs > c.initialMs && c.multiplier !== 1 ? ` up to ${formatMs(c.maxMs)}` : ''}${c.jitter ? ` ±${Math.round(c.jitter * 100)} %` : ''}`;

/** The one-line verdict the step, Allure and the gap matrix show: "claimed …; measured …". */
export function claimedVsMeasured(o: ClaimObservation): { pass: boolean; line: string; details: string[] } {
  const r = o.record;
  const details: string[] = [];
  const problems: string[] = [];
  const claimed: string[] = [];
  const measured: string[] = [];
  // Tries the client reported (a whole-call record alone is one try).
  const tries = r.attempts.map((a) => a.end);
  const failedTries = r.attempts.filter((a) => a.status !== 'OK').length;
  if (o.claims.retry) {
    const c = o.claims.retry;
    claimed.push(c.retries === 0 ? 'no retry' : `${c.retries} retries ${backoffText(c)}`);
    measured.push(`${tries.length} tr${tries.length === 1 ? 'y' : 'ies'} at ${at(tries, r.invoke)}`);
    const retries = tries.length - 1;
    if (retries > c.retries) problems.push(`${retries} retries, more than the ${c.retries} claimed`);
    // A client's own overall deadline ends its retries: giving up at a deadline is within its claim.
    const lastStatus = r.attempts.at(-1)?.status;
    if (c.retries > 0 && r.outcome !== 'ok' && failedTries > 0 && retries < c.retries && lastStatus !== 'DEADLINE_EXCEEDED') problems.push(`gave up after ${retries} retr${retries === 1 ? 'y' : 'ies'}, fewer than the ${c.retries} claimed`);
    const gaps = gapsAgainst(tries, c, o.tolerance);
    if (gaps.length) details.push(`  gaps between tries: ${gapText(gaps)}`);
    if (gaps.some((g) => !g.ok)) problems.push('the spacing of its tries is not the claimed backoff');
    details.push(`  retry claim: ${c.source}`);
  }
  // Reconnects are per link: a client given several endpoints dials each of them at once.
  const all = r.subject?.connections ?? [];
  const links = [...new Set(all.map((c) => c.link))];
  const perLink = links.map((link) => ({ link, times: all.filter((c) => c.link === link).map((c) => c.t) }));
  const seen = perLink.map((l) => `${l.link}: ${at(l.times, r.invoke)}`).join('; ');
  if (o.claims.reconnect) {
    const c = o.claims.reconnect;
    claimed.push(`reconnects ${backoffText(c)}`);
    measured.push(`${all.length} connection(s)${all.length ? ` (${seen})` : ''}`);
    for (const l of perLink) {
      const gaps = gapsAgainst(l.times, c, o.tolerance);
      if (gaps.length) details.push(`  gaps between connections on ${l.link}: ${gapText(gaps)}`);
      if (gaps.some((g) => !g.ok)) problems.push(`the spacing of its connection attempts on ${l.link} is not the claimed reconnect backoff`);
    }
    details.push(`  reconnect claim: ${c.source}`);
  } else if (all.length) {
    details.push(`  connections seen on its links: ${seen}`);
  }
  if (!claimed.length) problems.push(`${o.client} states no retry or reconnect claim`);
  const line = `${o.client} (${o.service}'s client under test): claimed ${claimed.join('; ') || 'nothing'}; measured ${measured.join('; ') || 'nothing'}`;
  return { pass: problems.length === 0, line, details: problems.length ? [`  ${problems.join('; ')}`, ...details] : details };
}

/** Matcher body; the message carries claimed and measured side by side. */
export function toRetryAsClientClaims(received: ClaimObservation) {
  const v = claimedVsMeasured(received);
  return {
    pass: v.pass,
    name: 'toRetryAsClientClaims',
    expected: v.line.replace(/; measured.*$/, ''),
    actual: v.line.replace(/^.*; measured/, 'measured'),
    message: () => `${v.pass ? 'Expected not to retry as claimed' : 'Expected to retry as claimed'}: ${v.line}\n${v.details.join('\n')}${received.claims.retry || received.claims.reconnect ? '' : `\n  Fix: add "claims" to "${received.service}".clients.${received.client}, citing its documentation.`}`,
  };
}
