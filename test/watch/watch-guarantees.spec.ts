// The watch-guarantee checker on hand-built recordings: each anomaly is found and named; a clean one passes.
import { test, expect } from '@playwright/test';
import { checkWatchGuarantees } from '../../runner/watch/watch-guarantees.ts';
import type { WatchEvent, WatchLifecycle, WatchRecording } from '../../runner/watch/watch-record.ts';
import { del, history, put } from '../checker/build-history.ts';

const P = 's5/';
const ev = (t: number, key: string, value: string | undefined, revision: number): WatchEvent =>
  value === undefined ? { t, type: 'delete', key, revision } : { t, type: 'put', key, value, revision };
const rec = (events: WatchEvent[], lifecycle: WatchLifecycle[] = [{ t: 0, kind: 'started' }]): WatchRecording => ({ client: 'w', events, lifecycle });

// Three acknowledged writes after the watch started at t=0, at revisions 2, 3, 4.
const writes = history(put('c', 'v1', [10, 12], { key: 's5/a' }), put('c', 'v2', [20, 22], { key: 's5/b' }), put('c', 'v3', [30, 32], { key: 's5/a' }));
const clean = [ev(13, 's5/a', 'v1', 2), ev(23, 's5/b', 'v2', 3), ev(33, 's5/a', 'v3', 4)];

test('a clean recording passes and says so', () => {
  const c = checkWatchGuarantees(rec(clean), writes, { prefix: P, resumes: true });
  expect(c.ok).toBe(true);
  expect([c.expected.length, c.delivered, c.lost, c.duplicated, c.reordered, c.unexpected]).toEqual([3, 3, [], [], [], []]);
  expect(c.describe()).toContain('w (prefix "s5/", claims to resume): OK — 3 events; 3 of 3 acknowledged writes delivered');
});

test('a skipped event is lost (gap), whether or not the client resumes', () => {
  for (const resumes of [true, false]) {
    const c = checkWatchGuarantees(rec([clean[0]!, clean[2]!]), writes, { prefix: P, resumes });
    expect(c.ok).toBe(false);
    expect(c.lost.map((l) => [l.write.value, l.why, l.after?.revision])).toEqual([['v2', 'gap', 4]]);
    expect(c.describe()).toMatch(/LOST #1 process "c" put "v2" ok.*skipped — a later write's event arrived: put "s5\/a" = "v3" at revision 4/);
  }
});

test('a missing tail is lost for a resuming client, and only "not delivered" for one that does not resume', () => {
  const life: WatchLifecycle[] = [{ t: 0, kind: 'started' }, { t: 15, kind: 'terminated', detail: 'UNAVAILABLE: Connection dropped' }, { t: 40, kind: 'stopped' }];
  const resuming = checkWatchGuarantees(rec([clean[0]!], life), writes, { prefix: P, resumes: true });
  expect(resuming.lost.map((l) => [l.write.value, l.why])).toEqual([['v2', 'never'], ['v3', 'never']]);
  const plain = checkWatchGuarantees(rec([clean[0]!], life), writes, { prefix: P, resumes: false });
  expect(plain.ok).toBe(true);
  expect(plain.notDelivered.map((o) => o.value)).toEqual(['v2', 'v3']);
  expect(plain.ended).toMatchObject({ kind: 'terminated', t: 15 });
  expect(plain.describe()).toContain('terminated at 15ms (UNAVAILABLE: Connection dropped); never reconnected');
  expect(plain.describe()).toContain('not delivered, as expected of a client that does not resume: 2 acknowledged write(s)');
});

test('the same revision twice is a duplicate, not a reordering', () => {
  const c = checkWatchGuarantees(rec([...clean, ev(40, 's5/b', 'v2', 3)]), writes, { prefix: P, resumes: true });
  expect(c.duplicated.map((e) => e.revision)).toEqual([3]);
  expect(c.reordered).toEqual([]);
  expect(c.describe()).toContain('VIOLATED — 4 events; 3 of 3 acknowledged writes delivered; 1 duplicated');
});

test('a lower revision after a higher one is a reordering', () => {
  const c = checkWatchGuarantees(rec([clean[1]!, clean[0]!, clean[2]!]), writes, { prefix: P, resumes: true });
  expect(c.reordered.map((r) => [r.previous.revision, r.event.revision])).toEqual([[3, 2]]);
  expect(c.describe()).toContain('REORDERED put "s5/a" = "v1" at revision 2 (received at 13ms) after revision 3');
});

test('events nobody wrote are unexpected, each with its reason', () => {
  const h = history(...writes.map(({ id: _, ...w }) => w), put('c', 'x', [35, 36], { key: 's5/c', outcome: 'fail' }));
  const c = checkWatchGuarantees(rec([...clean, ev(50, 's5/a', 'zzz', 5), ev(51, 'other/a', 'v1', 6), ev(52, 's5/c', 'x', 7), ev(53, 's5/b', undefined, 8)]), h, { prefix: P, resumes: true });
  expect(c.unexpected.map((u) => u.why)).toEqual([
    'this value was never written to this key',
    'key outside the watched prefix "s5/"',
    'its write #3 was recorded as failed (certainly not applied)',
    'no delete of this key was issued',
  ]);
});

test('only acknowledged writes inside the watch window are expected; indeterminate ones may or may not arrive', () => {
  const h = history(
    put('c', 'early', [-5, -1], { key: 's5/a' }), // before the watch started
    put('c', 'maybe', [10, 12], { key: 's5/a', outcome: 'info' }),
    put('c', 'v2', [20, 22], { key: 's5/b' }),
    put('c', 'late', [45, 46], { key: 's5/a' }), // after stop
    put('c', 'elsewhere', [20, 21], { key: 'other/a' }),
    del('c', [25, 26], { key: 's5/b' }),
  );
  const life: WatchLifecycle[] = [{ t: 0, kind: 'started' }, { t: 40, kind: 'stopped' }, { t: 41, kind: 'exited', detail: 'signal SIGKILL' }];
  const c = checkWatchGuarantees(rec([ev(13, 's5/a', 'maybe', 2), ev(23, 's5/b', 'v2', 3), ev(27, 's5/b', undefined, 4)], life), h, { prefix: P, resumes: true });
  expect(c.ok).toBe(true);
  expect(c.expected.map((o) => o.value)).toEqual(['v2']);
  expect(c.ended).toBeUndefined(); // the exit was the stop's doing
  expect(c.describe()).toContain('open until stopped at 40ms');
});

test('reconnections are reported with the outage they ended', () => {
  const life: WatchLifecycle[] = [
    { t: 0, kind: 'started' },
    { t: 1000, kind: 'reconnecting', detail: 'disconnected: 14 UNAVAILABLE: Connection dropped' },
    { t: 1200, kind: 'reconnecting', detail: 'disconnected: 14 UNAVAILABLE: No connection established' },
    { t: 5200, kind: 'reconnected', detail: 'watch 0' },
    { t: 6000, kind: 'stopped' },
  ];
  const c = checkWatchGuarantees(rec(clean, life), writes, { prefix: P, resumes: true });
  expect(c.disconnects).toHaveLength(2);
  expect(c.describe()).toContain('disconnected 2 time(s), first at 1s (disconnected: 14 UNAVAILABLE: Connection dropped); reconnected at 5.2s, 4.2s after losing the stream at 1s; open until stopped at 6s');
});
