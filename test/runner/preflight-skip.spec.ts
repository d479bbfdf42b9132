// A machine without root or iptables cannot run a partition: the test is skipped with that reason and
// the fix (shown as "skipped" in the gap matrix), never red; a block asked via iptables says so too.
import { test, expect } from '@playwright/test';
import { definePlan, type ScenarioContext } from '../../dsl/scenario.ts';
import type { Plan } from '../../dsl/plan.ts';
import { classify } from '../../report/gap-matrix/classify.ts';
import type { FirewallCapability } from '../../runner/firewall/index.ts';
import { environmentShortfall } from '../../runner/preflight.ts';

const plan = (body: (ctx: ScenarioContext) => void): Plan => definePlan('S3', 'Network partition', { matrix: { etcd: 'TEST' } } as never, body);
const notRoot: FirewallCapability = { usable: false, reason: 'port blocks and partitions change the firewall, which needs root (this process runs as uid 1000): run the tests as root' };
const usable: FirewallCapability = { usable: true };

test('a partition on a machine without the firewall is a skip reason naming the step, the cause and the fix', () => {
  const p = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.partition([1], [2, 3]);
  });
  const reason = environmentShortfall(p, () => notRoot)!;
  expect(reason).toMatch(/^needs root and a working iptables: "partition node-1 \| node-2, node-3 \(both directions\)" needs a true partition, which needs the firewall: .*uid 1000.* \(at .*preflight-skip\.spec\.ts:\d+:\d+\)\n  Fix: run as root with iptables installed \(Debian: apt-get install iptables\), or mark this service SKIP for scenario "S3"\.$/);
  expect(environmentShortfall(p, () => usable)).toBeUndefined();
  // The gap matrix shows such a test as skipped, with the reason, not as failed.
  const record = { testId: 't', title: 'S3 Network partition', project: 'etcd', tags: [], expectedStatus: 'skipped' as const, status: 'skipped' as const, annotations: [{ type: 'skip', description: reason }], errors: [], retries: 0 };
  expect(classify(record, 'TEST')).toEqual({ outcome: 'skipped', reason });
});

test('block() asked via iptables names the explicit ask; a plain block() needs nothing (it falls back to the proxy)', () => {
  const explicit = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.leader().block({ via: 'iptables' });
  });
  expect(environmentShortfall(explicit, () => notRoot)).toContain(`needs the firewall, asked explicitly with block({ via: 'iptables' })`);
  expect(environmentShortfall(explicit, () => notRoot)).toContain('Fix: run as root with iptables installed, or write block() to fall back to the fault proxy.');
  let probed = 0;
  const plain = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.leader().block();
  });
  expect(environmentShortfall(plain, () => (probed++, notRoot))).toBeUndefined();
  expect(probed, 'no firewall probe for a plan that does not need it').toBe(0);
});
