// The timeline of a real etcd run, drawn in headless Chromium: lanes, bars, attempts, a screenshot.
import { expect } from '@playwright/test';
import { SEED_POLICY } from '../../../dsl/policy.ts';
import { checkHistory } from '../../../checker/index.ts';
import { test } from '../../../runner/fixture.ts';
import { etcdService } from '../../../services/etcd/definition.ts';
import { renderTimeline, verdictFromCheck } from '../../../report/timeline/index.ts';
import { attachPicture, boxes, CHROMIUM, showSvg } from './show-svg.ts';

test.use(CHROMIUM);

test('a real run: kill -9 and restart node-1, pause node-2; the picture shows all of it', async ({ faultline, page }, testInfo) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  await cluster.leader(5000);
  const via = (node: string) => [cluster.endpoint(node)];
  await run.execute({ op: 'put', key: 'k', value: 'v1' }, 'client', via('node-1'), SEED_POLICY);
  await run.execute({ op: 'put', key: 'other', value: 'x' }, 'client', via('node-1'), SEED_POLICY);
  await run.execute({ op: 'get', key: 'k' }, 'reader', via('node-3'), SEED_POLICY);

  await cluster.kill('node-1');
  await cluster.leader(5000);
  const refused = await run.execute({ op: 'put', key: 'k', value: 'v2' }, 'client', via('node-1'), SEED_POLICY);
  await cluster.startNode('node-1');
  await cluster.leader(5000);

  cluster.pause('node-2');
  const frozen = await run.execute({ op: 'put', key: 'k', value: 'v3' }, 'client', via('node-2'), { ...SEED_POLICY, retries: 1, initialMs: 200, attemptTimeoutMs: 300 });
  cluster.resume('node-2');
  await cluster.leader(5000);
  await Promise.all([
    run.execute({ op: 'put', key: 'k', value: 'v4' }, 'client', via('node-3'), SEED_POLICY),
    run.execute({ op: 'get', key: 'other' }, 'client', via('node-3'), SEED_POLICY),
  ]);
  await run.execute({ op: 'get', key: 'k' }, 'reader', via('node-1'), SEED_POLICY);

  expect(refused.outcome).toBe('fail');
  expect(refused.attempts).toHaveLength(4);
  expect(frozen.outcome).toBe('info');

  const svg = renderTimeline({
    title: 'timeline › kill -9 + start node-1, pause/resume node-2 [etcd]',
    nodes: cluster.names,
    events: run.events.events,
    history: run.history,
    verdict: verdictFromCheck(checkHistory(run.history)),
    end: run.clock.now(),
  });

  await testInfo.attach('timeline.svg', { body: svg, contentType: 'image/svg+xml' });
  const { xmlError } = await showSvg(page, svg);
  expect(xmlError).toBeNull();
  for (const node of ['node-1', 'node-2', 'node-3']) await expect(page.locator(`[data-lane="${node}"]`)).toHaveCount(1);
  await expect(page.locator('g.op')).toHaveCount(run.history.length);
  const failed = page.locator(`g.op[data-op-id="${refused.id}"]`);
  await expect(failed).toHaveClass(/\bop-fail\b/);
  expect(await failed.locator('.op-bar').getAttribute('fill')).toBe('#e03131');
  await expect(failed.locator('.attempt')).toHaveCount(4);
  await expect(failed.locator('.attempt-error')).toHaveCount(4);
  await expect(page.locator(`g.op[data-op-id="${frozen.id}"]`)).toHaveClass(/\bop-info\b/);
  await expect(page.locator('[data-lane="node-1"] .state-stopped')).toHaveCount(1);
  await expect(page.locator('[data-lane="node-2"] .state-paused')).toHaveCount(1);
  await expect(page.locator('[data-lane="node-1"] [data-signal="SIGKILL"]')).toHaveCount(1);
  await expect(page.locator('.leader')).not.toHaveCount(0);
  await expect(page.locator('.verdict')).toHaveAttribute('data-verdict', 'ok');

  // The bars are really drawn: each op's box has a size on the page.
  for (const box of await boxes(page.locator('g.op .op-bar'))) expect(box.width).toBeGreaterThanOrEqual(2);

  await attachPicture(page, testInfo, 'timeline-real');
});
