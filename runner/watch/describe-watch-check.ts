// The report text of a watch check: verdict first, then what the stream did, then each anomaly with its
// evidence, so an S5 reader sees "terminated, no reconnect" or "reconnected after 4.2s, nothing lost" at once.
import { formatMs } from '../../dsl/duration.ts';
import { describeOp } from '../../checker/describe-op.ts';
import type { WatchCheck } from './watch-check.ts';
import type { WatchEvent, WatchLifecycle } from './watch-record.ts';

const MAX_LISTED = 10;
const at = (t: number) => `${formatMs(t)}`;
const event = (e: WatchEvent) => `${e.type} ${JSON.stringify(e.key)}${e.type === 'put' ? ` = ${JSON.stringify(e.value)}` : ''} at revision ${e.revision} (received at ${at(e.t)})`;
const said = (l: WatchLifecycle) => (l.detail ? ` (${l.detail})` : '');

/** Multi-line text for reports and failure messages. */
export function describeWatchCheck(c: Omit<WatchCheck, 'describe'>): string {
  const anomalies = [c.lost.length && `${c.lost.length} lost`, c.duplicated.length && `${c.duplicated.length} duplicated`, c.reordered.length && `${c.reordered.length} reordered`, c.unexpected.length && `${c.unexpected.length} unexpected`].filter(Boolean);
  const verdict = c.ok ? 'no lost, duplicated, reordered or unexpected event' : anomalies.join(', ');
  const lines = [
    `${c.client} (prefix ${JSON.stringify(c.prefix)}, ${c.resumes ? 'claims to resume' : 'does not resume'}): ${c.ok ? 'OK' : 'VIOLATED'} — ${c.events} events; ${c.delivered} of ${c.expected.length} acknowledged writes delivered; ${verdict}`,
    `  stream: ${stream(c)}`,
  ];
  if (c.errors.length) lines.push(`  client said (${c.errors.length} line(s)): ${c.errors.slice(0, 3).map((l) => `at ${at(l.t)}: ${l.detail}`).join(' | ')}${c.errors.length > 3 ? ' | …' : ''}`);
  const list = <T>(title: string, items: T[], line: (x: T) => string) => {
    for (const x of items.slice(0, MAX_LISTED)) lines.push(`  ${title} ${line(x)}`);
    if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more ${title.toLowerCase()}`);
  };
  list('LOST', c.lost, (l) => `${describeOp(l.write)}: ${l.why === 'gap' && l.after ? `skipped — a later write's event arrived: ${event(l.after)}` : 'never delivered'}`);
  list('DUPLICATED', c.duplicated, event);
  list('REORDERED', c.reordered, (r) => `${event(r.event)} after revision ${r.previous.revision}`);
  list('UNEXPECTED', c.unexpected, (u) => `${event(u.event)}: ${u.why}`);
  if (c.notDelivered.length) {
    lines.push(`  not delivered, as expected of a client that does not resume: ${c.notDelivered.length} acknowledged write(s), first ${describeOp(c.notDelivered[0]!)}`);
  }
  return lines.join('\n');
}

function stream(c: Omit<WatchCheck, 'describe'>): string {
  const parts = [c.started ? `started at ${at(c.started.t)}` : 'never started'];
  const firstDown = c.disconnects[0];
  if (firstDown) parts.push(`disconnected ${c.disconnects.length} time(s), first at ${at(firstDown.t)}${said(firstDown)}`);
  for (const r of c.reconnects) {
    const down = firstDownBefore(c.disconnects, r, c.reconnects);
    parts.push(`reconnected at ${at(r.t)}${down ? `, ${formatMs(r.t - down.t)} after losing the stream at ${at(down.t)}` : ''}`);
  }
  if (c.ended) parts.push(`${c.ended.kind} at ${at(c.ended.t)}${said(c.ended)}`);
  if ((c.ended || c.disconnects.length) && !c.reconnects.length) parts.push('never reconnected');
  if (!c.ended) parts.push(c.stopped ? `open until stopped at ${at(c.stopped.t)}` : 'still open');
  return parts.join('; ');
}

/** The first disconnect of the outage a reconnect ends: after the previous reconnect, at or before this one. */
function firstDownBefore(disconnects: WatchLifecycle[], r: WatchLifecycle, reconnects: WatchLifecycle[]): WatchLifecycle | undefined {
  const previous = reconnects.filter((x) => x.t < r.t).at(-1)?.t ?? -Infinity;
  return disconnects.find((d) => d.t > previous && d.t <= r.t);
}
