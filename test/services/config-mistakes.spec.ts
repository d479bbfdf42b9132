// The small mistakes a user makes in faultline.services.json, each refused with the rule and the fix
// before any process starts: stray braces, a JSON slip (by line and column), a binary without its x bit,
// and the message alone on the terminal, with no Node stack under it.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { ServiceConfigError } from '../../services/grpc-service/service-config.ts';
import { serviceRegistry } from '../../services/index.ts';
import { missingBinary } from '../../services/config.ts';
import { emptyRoot, rootWithConfig } from './service-test-helpers.ts';

const file = (root: string) => `"${path.join(root, 'faultline.services.json')}"`;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceConfigError);
    return (e as Error).message;
  }
  throw new ServiceConfigError('the test', '-', 'expected a ServiceConfigError', 'none');
}
const registry = (json: unknown, env: NodeJS.ProcessEnv = {}) => {
  const root = rootWithConfig(json);
  return { root, error: message(() => serviceRegistry(env, { root })) };
};

test('a brace that opens or closes no placeholder is refused, never passed to the binary literally', () => {
  let r = registry({ chainfire: { args: ['--data-dir', '{dataDir'] } });
  expect(r.error).toBe(
    `Invalid service configuration at "chainfire.args[1]" in ${file(r.root)}: "{dataDir" has a "{" at character 1 that opens no placeholder (a placeholder is one name in single braces, e.g. "{dataDir}"; a literal brace cannot be passed).\n  Fix: close it: "{dataDir}".`,
  );
  r = registry({ chainfire: { args: ['--initial-cluster={{peers}}'] } });
  expect(r.error).toContain('at "chainfire.args[0]"');
  expect(r.error).toContain('"--initial-cluster={{peers}}" has a "{" at character 19 that opens no placeholder');
  expect(r.error).toContain('Fix: write "{peers}" with single braces.');
  r = registry({ chainfire: { env: { DATA: '{dataDir}/x}' } } });
  expect(r.error).toContain('at "chainfire.env.DATA"');
  expect(r.error).toContain('has a "}" at character 12 that closes no placeholder');
  r = registry({ flaredb: { operations: { put: { call: 'kvrpc.KvRaw/RawPut', request: { key: '{key', value: '{value}' } } } } });
  expect(r.error).toContain('at "flaredb.operations.put.request.key"');
  expect(r.error).toContain('Fix: close it: "{key}".');
  r = registry({ chainfire: { peer: '{name}={host}:{port.raft}}' } });
  expect(r.error).toContain('at "chainfire.peer"');
  // Well-formed templates still pass.
  expect(() => serviceRegistry({}, { root: rootWithConfig({ chainfire: { args: ['--data-dir={dataDir}', '{peers}'] } }) })).not.toThrow();
});

test('a JSON syntax error names the line and column, with the line itself', () => {
  const root = rootWithConfig('{\n  "chainfire": {\n    "binary": "x",\n  }\n}\n');
  expect(message(() => serviceRegistry({}, { root }))).toBe(
    `Invalid service configuration at "(file)" in ${file(root)}: the file is not valid JSON: Expected double-quoted property name at line 4, column 3 (\`}\`).\n  Fix: fix the JSON at that place; see docs/services.md for a whole example.`,
  );
  const cut = rootWithConfig('{\n  "chainfire": { "args": [] }\n');
  expect(message(() => serviceRegistry({}, { root: cut }))).toContain('at line 3, column 1.');
});

test('a binary that exists without its x bit is told apart from a missing one, with chmod as the fix', () => {
  const root = rootWithConfig({ iam: { binary: 'bin/iam-server' } }, { 'bin/iam-server': '#!/bin/sh\n' });
  const bin = path.join(root, 'bin/iam-server');
  expect(message(() => serviceRegistry({}, { root }))).toBe(
    `Invalid service configuration at "iam.binary" in ${file(root)}: the file "${bin}" exists but is not executable (mode 0644).\n  Fix: make it executable: chmod +x "${bin}" (or point "binary" at the iam executable).`,
  );
  expect(message(() => serviceRegistry({ IAM_BIN: bin }, { root: emptyRoot() }))).toBe(
    `Invalid service configuration at "iam.binary" in the environment variable IAM_BIN: the file "${bin}" (IAM_BIN=${bin}) exists but is not executable (mode 0644).\n  Fix: make it executable: chmod +x "${bin}" (or point IAM_BIN at the executable).`,
  );
  expect(missingBinary('etcd', 'ETCD_BIN', { ETCD_BIN: bin })).toContain(`exists but is not executable (mode 0644); run chmod +x "${bin}"`);
  fs.chmodSync(bin, 0o755);
  expect(serviceRegistry({}, { root }).iam.unavailable()).toBeUndefined();
});

test('a configuration error stops the run with its rule and fix alone: no Node stack, no error fields', async () => {
  const root = rootWithConfig({ chainfire: { args: ['{{peers}}'] } });
  const r = await execa('npx', ['playwright', 'test', '--list'], { env: { FAULTLINE_SERVICES: path.join(root, 'faultline.services.json') }, reject: false, timeout: 60_000 });
  expect(r.exitCode).toBe(1);
  expect(r.stderr.trim()).toBe(
    `ServiceConfigError: Invalid service configuration at "chainfire.args[0]" in ${file(root)}: "{{peers}}" has a "{" at character 1 that opens no placeholder (a placeholder is one name in single braces, e.g. "{dataDir}"; a literal brace cannot be passed).\n  Fix: write "{peers}" with single braces.`,
  );
  expect(r.stdout).not.toContain('Listing tests');
});
