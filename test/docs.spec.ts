// Every example in docs/dsl.md is a scenario body that records a plan without problems.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { definePlan, type ScenarioContext } from '../dsl/scenario.ts';
import { ExpectRecorder } from '../dsl/expect.ts';
import { MATCHERS } from '../runner/matchers/registry.ts';

const doc = fs.readFileSync('docs/dsl.md', 'utf8');
const examples = [...doc.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('docs/dsl.md has examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(10);
});

examples.forEach((code, i) => {
  test(`docs/dsl.md example ${i + 1} records a valid plan`, () => {
    // The body is compiled as a function of the scenario context, exactly as a spec's arrow body.
    const body = new Function('ctx', `const { cluster, client, expect, wait, step } = ctx;\n${code}`) as (ctx: ScenarioContext) => void;
    const plan = definePlan('D1', 'docs example', { matrix: { etcd: 'TEST' } }, body);
    expect(plan.problems.map((p) => p.message)).toEqual([]);
    expect(plan.steps.length).toBeGreaterThan(0);
  });
});

test('every DSL matcher is in the matcher registry and listed in docs/dsl.md', () => {
  const dsl = Object.getOwnPropertyNames(ExpectRecorder.prototype).filter((n) => /^to[A-Z]/.test(n)).sort();
  expect(MATCHERS.map((m) => m.dsl).sort()).toEqual(dsl);
  expect(MATCHERS.filter((m) => !doc.includes(`\`${m.dsl}(`)).map((m) => m.dsl)).toEqual([]);
});
