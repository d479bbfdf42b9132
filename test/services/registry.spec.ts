// The registry: all five services, the seed's four built from configuration and skipped with the
// exact reason until their binary is configured — never failed, never faked.
import { test, expect } from '@playwright/test';
import { SERVICE_NAMES } from '../../dsl/services.ts';
import { serviceRegistry } from '../../services/index.ts';
import { emptyRoot, fakeExecutable, rootWithConfig } from './service-test-helpers.ts';

test('the registry returns all five services, each under its own name', () => {
  const services = serviceRegistry({}, { root: emptyRoot() });
  expect(Object.keys(services).sort()).toEqual([...SERVICE_NAMES].sort());
  for (const [name, s] of Object.entries(services)) expect(s.name).toBe(name);
  expect(services.chainfire.portNames).toEqual(['api', 'raft', 'gossip', 'http']);
  expect(services.flaredb.portNames).toEqual(['api', 'raft', 'http']);
  expect(services.iam.portNames).toEqual(['api', 'http']);
  expect(services.plasmavmc.portNames).toEqual(['api', 'http']);
});

test('without a binary, each seed service is unavailable with the exact reason naming its variable', () => {
  const services = serviceRegistry({ PATH: '/nonexistent' }, { root: emptyRoot() });
  expect(services.chainfire.unavailable()).toBe('chainfire binary not configured (set CHAINFIRE_BIN)');
  expect(services.flaredb.unavailable()).toBe('flaredb binary not configured (set FLAREDB_BIN)');
  expect(services.plasmavmc.unavailable()).toBe('plasmavmc binary not configured (set PLASMAVMC_BIN)');
  expect(services.iam.unavailable()).toBe('iam binary not configured (set IAM_BIN)');
  expect(services.etcd.unavailable()).toContain('etcd binary not configured (set ETCD_BIN, or put "etcd" on PATH)');
});

test('a binary from the variable or from the file makes a service available, and shows in the environment', () => {
  const root = rootWithConfig({ flaredb: { binary: 'bin/flaredb.sh' } }, { 'bin/flaredb.sh': '#!/bin/sh\n' });
  const chainfire = fakeExecutable(root, 'bin/chainfire');
  const services = serviceRegistry({ CHAINFIRE_BIN: chainfire }, { root });
  expect(services.chainfire.unavailable()).toBeUndefined();
  expect(services.flaredb.unavailable()).toBeUndefined();
  expect(services.iam.unavailable()).toBe('iam binary not configured (set IAM_BIN)');
  expect(services.chainfire.environment?.()).toEqual({ 'chainfire binary': chainfire, 'chainfire proto': expect.stringMatching(/services\/proto\/chainfire\/chainfire\.proto$/) });
});

test('a bad configuration fails the registry (and so the run) before any process starts', () => {
  const root = rootWithConfig({ plasmavmc: { clientPort: 'grpc' } });
  expect(() => serviceRegistry({}, { root })).toThrow(`Invalid service configuration at "plasmavmc.clientPort" in "${root}/faultline.services.json": "grpc" is not one of the service's ports ("api", "http").`);
});
