// Leader changes from the servers' own words: a 5-node etcd cluster whose leader is paused 0.5 s after
// start elects a new one about a second later; the timeline and toHaveLeader say when, by etcd's own
// "became leader at term N" line, not when the next status poll (3 s later) happened to see it.
import fs from 'node:fs';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { formatMs } from '../../dsl/duration.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import { observeLeader } from '../../runner/expect-step.ts';
import { toHaveLeader } from '../../runner/matchers/to-have-leader.ts';
import { nodeStates } from '../../report/timeline/node-states.ts';
import type { RunEvent } from '../../runner/records/events.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a paused leader: the new leader is marked at its own log line, and toHaveLeader says when etcd elected it', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 5 });
  const first = (await cluster.leader(10_000))!;
  await sleep(500);
  const pausedAt = run.clock.now();
  cluster.pause(first);
  // The next expectation comes 3 s later, as in the measurement.
  await sleep(3000);
  const askedAt = run.clock.now();
  const leader = await cluster.leader(5000);
  const seenAt = run.clock.now();
  expect(leader, 'a new leader among the 4 running members').toBeDefined();
  expect(leader).not.toBe(first);

  // etcd's own line, read here independently of Faultline's reader.
  const lines = fs.readFileSync(cluster.nodeSpec(leader!).logFile, 'utf8').split('\n').filter((l) => /became leader at term \d+/.test(l));
  const line = lines.at(-1)!;
  const stamp = /"ts":"([^"]+)"/.exec(line)![1]!;
  const lineT = Date.parse(stamp) - Date.parse(run.clock.originWallTime);
  const term = /became leader at term (\d+)/.exec(line)![1]!;
  // etcd 3.4 stamps zap lines to the millisecond ("2026-12-07T22:40:01.123Z"); so is the clock's wall-time origin.
  const precisionMs = 10 ** (3 - (/\.(\d+)/.exec(stamp)?.[1]?.length ?? 0));

  const markers = run.events.events.filter((e): e is Extract<RunEvent, { kind: 'leader' }> => e.kind === 'leader' && e.node === leader);
  const marker = markers.at(-1)!;
  expect(marker.source, 'the marker came from the log line, not the poll').toBe('log');
  expect(marker.term).toBe(term);
  expect(Math.abs(marker.t - lineT)).toBeLessThanOrEqual(precisionMs);
  expect(marker.t, 'elected after the pause').toBeGreaterThan(pausedAt);
  // A poll would have drawn it no earlier than when it asked; the line says it was elected before that.
  expect(marker.t).toBeLessThan(askedAt);
  expect(markers.some((m) => m.source === 'poll'), 'no poll marker beside the log one').toBe(false);

  // The timeline's lane: the new leader's span starts at the line, says "log", and the paused one's ends at the pause.
  const lanes = nodeStates(run.events.events, cluster.names, run.clock.now());
  expect(lanes.find((l) => l.node === leader)!.leader.at(-1)).toMatchObject({ start: marker.t, source: 'log', term });
  const stop = run.events.events.find((e) => e.kind === 'signal' && e.node === first && e.detail === 'SIGSTOP')!;
  expect(lanes.find((l) => l.node === first)!.leader.at(-1)!.end).toBe(stop.t);

  // toHaveLeader's result and the step's annotation say when etcd elected it, by its log.
  const observation = observeLeader(cluster, leader, 5000, seenAt - askedAt, seenAt);
  const result = toHaveLeader(observation);
  expect(result.pass).toBe(true);
  expect(result.actual).toContain(`elected at ${formatMs(marker.t)} (term ${term}, by its own log line; the poll saw it at ${formatMs(seenAt)})`);
  expect(test.info().annotations.at(-1)).toEqual({ type: 'leader', description: `${leader} leads: ${result.actual.slice(leader!.length + 2)}` });
  console.log(`paused ${first} at ${formatMs(pausedAt)}; ${leader} elected at ${formatMs(marker.t)} by its log (term ${term}); the poll asked at ${formatMs(askedAt)}`);
});
