// "clients" in faultline.services.json: a whole command client and a driver load; every mistake is found
// when the suite loads, before any process starts, and named by file, field, rule and fix.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadServiceConfigs } from '../../services/config-file.ts';
import { SHIPPED_DEFAULTS } from '../../services/index.ts';
import { ServiceConfigError } from '../../services/grpc-service/service-config.ts';
import { fakeExecutable, rootWithConfig } from '../services/service-test-helpers.ts';

const load = (root: string) => loadServiceConfigs(SHIPPED_DEFAULTS, { root, env: { PATH: process.env.PATH } });
const file = (root: string) => `"${path.join(root, 'faultline.services.json')}"`;

/** ChainFire's CLI as a command client, with one field replaced by `patch`. */
function cli(patch: Record<string, unknown> = {}, claims: unknown = { retry: { retries: 3, initial: '500ms', multiplier: 2, max: '30s', source: 'chainfire-api/src/raft_client.rs: RetryConfig::default()' } }) {
  return {
    chainfire: {
      clients: {
        chainfire: {
          command: {
            binary: './bin/chainfire-cli',
            timeout: '10s',
            put: { args: ['--endpoint', '{endpoint}', 'put', '{key}', '{value}'] },
            get: { args: ['--endpoint', '{endpoint}', 'get', '{key}', '--json'], value: { json: 'kv.value', absent: 'kv' } },
            ...patch,
          },
          claims,
        },
      },
    },
  };
}

function failure(json: unknown): ServiceConfigError {
  const root = rootWithConfig(json);
  fakeExecutable(root, 'bin/chainfire-cli');
  try {
    load(root);
  } catch (e) {
    if (e instanceof ServiceConfigError) return e;
    throw e;
  }
  throw new Error('the configuration loaded');
}

test('a command client and a driver load, with paths from the file, claims and templates as written', () => {
  const root = rootWithConfig({ ...cli(), flaredb: { clients: { pd: { driver: { command: ['./bin/flaredb-driver', '--verbose', './pd.toml'], timeout: '5s' }, claims: { reconnect: { initial: '10s', multiplier: 1, max: '10s', source: 'flaredb-server/src/main.rs:283-356: PD client reconnect loop (10 s cycle)' } } } } } });
  fakeExecutable(root, 'bin/chainfire-cli');
  fakeExecutable(root, 'bin/flaredb-driver');
  const configs = load(root);
  expect(configs.chainfire.subjects.chainfire).toMatchObject({ kind: 'command', command: path.join(root, 'bin/chainfire-cli'), timeoutMs: 10_000, claims: { retry: { retries: 3, initialMs: 500, multiplier: 2, maxMs: 30_000 } } });
  expect(configs.chainfire.subjects.chainfire!.unavailable).toBeUndefined();
  expect(configs.flaredb.subjects.pd).toMatchObject({ kind: 'driver', command: [path.join(root, 'bin/flaredb-driver'), '--verbose', path.join(root, 'pd.toml')], timeoutMs: 5000, claims: { reconnect: { initialMs: 10_000, multiplier: 1 } } });
});

const mistakes: [string, unknown, string][] = [
  ['an unknown placeholder', cli({ put: { args: ['put', '{key}', '{val}'] } }), 'Invalid service configuration at "chainfire.clients.chainfire.command.put.args[2]" in FILE: "{val}" is not a placeholder here (here: {endpoints}, {endpoint}, {key}, {value}).\n  Fix: did you mean "{value}"?'],
  ['a placeholder of another operation', cli({ get: { args: ['get', '{value}'], value: { regex: '(.*)' } } }), '"{value}" is not a placeholder here (here: {endpoints}, {endpoint}, {key}).'],
  ['a regex that does not compile', cli({ get: { args: ['get', '{key}'], value: { regex: '^(?<value>.*' } } }), 'at "chainfire.clients.chainfire.command.get.value.regex" in FILE: "^(?<value>.*" is not a regular expression (Invalid regular expression: /^(?<value>.*/: Unterminated group).\n  Fix: write a JavaScript regular expression'],
  ['an attempt line without an "error" group', cli({ attemptLine: 'retry (\\d+)' }), 'at "chainfire.clients.chainfire.command.attemptLine" in FILE: the regular expression needs a named group "error" (it has: none).'],
  ['a JSON path that is not a path', cli({ get: { args: ['get', '{key}'], value: { json: 'kv..value' } } }), 'at "chainfire.clients.chainfire.command.get.value.json" in FILE: "kv..value" is not a dot path'],
  ['a get without a value reader', cli({ get: { args: ['get', '{key}'] } }), 'at "chainfire.clients.chainfire.command.get.value" in FILE: a get needs to say where the value is in the output.'],
  ['a claim without its source', cli({}, { retry: { retries: 3, initial: '500ms', multiplier: 2 } }), 'at "chainfire.clients.chainfire.claims.retry.source" in FILE: a claim cites where the client says it (its documentation or source), never a measurement'],
  ['a duration without a unit', cli({ timeout: 10 }), 'at "chainfire.clients.chainfire.command.timeout" in FILE: clients.chainfire.command.timeout must be a duration with a unit, got the number 10.'],
  ['a typo in a field', cli({ gett: { args: [] } }), 'at "chainfire.clients.chainfire.command.gett" in FILE: "gett" is not a known field'],
  ['both a command and a driver', { chainfire: { clients: { c: { command: { binary: 'x' }, driver: { command: ['x'] } } } } }, 'at "chainfire.clients.c" in FILE: a client is either a "command"'],
];

for (const [what, json, expected] of mistakes) {
  test(`refused before start: ${what}`, () => {
    const e = failure(json);
    const root = path.dirname(e.source.slice(1, -1));
    expect(e.message).toContain(expected.replace('FILE', file(root)));
  });
}

test('a client whose program is missing loads as unavailable: its scenarios are skipped with that reason', () => {
  const root = rootWithConfig(cli());
  const configs = load(root);
  expect(configs.chainfire.subjects.chainfire!.unavailable).toBe(`the clients.chainfire.command.binary of chainfire, "${path.join(root, 'bin/chainfire-cli')}", is not an executable file`);
});

test("README's clients (a ChainFire command client, an IAM driver) load as written", () => {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const json = /\*\*Their own clients are the subject\.\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!;
  const project = path.join(rootWithConfig({}), 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'faultline.services.json'), json);
  const configs = load(project);
  expect(configs.chainfire.subjects['chainfire-cli']).toMatchObject({ kind: 'command', claims: { retry: { retries: 3, initialMs: 500, multiplier: 2, maxMs: 30_000 } } });
  expect(new RegExp(configs.chainfire.subjects['chainfire-cli']!.kind === 'command' ? (configs.chainfire.subjects['chainfire-cli'] as { attemptLine: string }).attemptLine : '').exec('retrying put attempt=2 error=connection refused')?.groups).toEqual({ attempt: '2', error: 'connection refused' });
  expect(configs.iam.subjects['iam-client']).toMatchObject({ kind: 'driver', claims: { retry: { retries: 0 } } });
});
