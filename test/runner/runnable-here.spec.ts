// Before any process starts, a column is skipped with the reason when it cannot run the plan: the
// PD its configuration names is not configured (along the whole chain), or the service lacks what
// the plan uses (a watch client, a client under test, a dependent server). Real definitions.
import { test, expect } from '@playwright/test';
import { definePlan } from '../../dsl/scenario.ts';
import { unavailableCluster, unsupportedByService } from '../../runner/compile.ts';
import { serviceRegistry } from '../../services/index.ts';
import { fakeExecutable, emptyRoot, rootWithConfig } from '../services/service-test-helpers.ts';

const matrix = { matrix: { chainfire: 'TEST', flaredb: 'TEST', iam: 'TEST', etcd: 'TEST' } } as const;

test('FlareDB started alone needs the ChainFire its configuration names: skipped with ChainFire\'s reason', () => {
  const services = serviceRegistry({ PATH: process.env.PATH, FLAREDB_BIN: fakeExecutable(emptyRoot()), CHAINFIRE_BIN: '' }, { root: emptyRoot() });
  const plan = definePlan('S9', 'Alone', matrix as never, ({ cluster }) => cluster.start());
  expect(unavailableCluster(plan, 'flaredb', services)).toBe('chainfire binary not configured (set CHAINFIRE_BIN) — flaredb needs a chainfire PD ("pd" of flaredb in faultline.services.json), which the runner starts first');
  // Given a PD by the plan, the configured one is not needed.
  const withPd = definePlan('S9', 'With PD', { matrix: { flaredb: 'TEST' } }, ({ cluster }) => {
    const pd = cluster('etcd', { name: 'pd' });
    pd.start();
    cluster.start({ pd });
  });
  expect(unavailableCluster(withPd, 'flaredb', services)).toBeUndefined();
});

test('the PD chain is followed: a configured PD whose own PD is not configured skips the column', () => {
  const bin = fakeExecutable(emptyRoot());
  const root = rootWithConfig({ chainfire: { pd: { service: 'iam' }, args: ['--pd', '{pd}', '--data-dir', '{dataDir}'] } });
  const services = serviceRegistry({ FLAREDB_BIN: bin, CHAINFIRE_BIN: bin, IAM_BIN: '' }, { root });
  const plan = definePlan('S9', 'Alone', matrix as never, ({ cluster }) => cluster.start());
  expect(unavailableCluster(plan, 'flaredb', services)).toBe('iam binary not configured (set IAM_BIN) — chainfire needs a iam PD ("pd" of chainfire in faultline.services.json), which the runner starts first');
});

test('a plan that uses what the service lacks is skipped with what is missing', () => {
  const services = serviceRegistry({ PATH: process.env.PATH }, { root: emptyRoot() });
  const watch = definePlan('S9', 'Watch', matrix as never, ({ cluster, client }) => {
    cluster.start();
    client.watch('k/');
  });
  expect(unsupportedByService(watch, 'chainfire', services.chainfire)).toBe('chainfire has no watch of Faultline\'s own (its definition opens no watch stream), so this scenario\'s watch cannot run on it');
  expect(unsupportedByService(watch, 'etcd', services.etcd)).toBeUndefined();
  const subjectWatch = definePlan('S9', 'Subject watch', matrix as never, ({ cluster, client }) => {
    cluster.start();
    client.underTest().watch('k/');
  });
  expect(unsupportedByService(subjectWatch, 'chainfire', services.chainfire)).toBe('chainfire configures no client under test with a watch (its clients: none), and Faultline\'s own client is never the subject: add one to "chainfire".clients in faultline.services.json (docs/services.md), so this scenario\'s watch cannot run on it');
  expect(unsupportedByService(subjectWatch, 'etcd', services.etcd)).toBeUndefined();
  const etcdctl = definePlan('S9', 'etcdctl', matrix as never, ({ cluster, client }) => {
    cluster.start();
    client.using('etcdctl').put('k', 'v');
  });
  expect(unsupportedByService(etcdctl, 'iam', services.iam)).toBe('iam has no client under test "etcdctl" (its clients: none), so this scenario cannot run on it');
  expect(unsupportedByService(etcdctl, 'etcd', services.etcd)).toBeUndefined();
  const proxy = definePlan('S9', 'proxy', matrix as never, ({ cluster }) => {
    cluster.start();
    cluster.dependent('grpc-proxy');
  });
  expect(unsupportedByService(proxy, 'flaredb', services.flaredb)).toBe('flaredb defines no dependent server "grpc-proxy", so this scenario cannot run on it');
});
