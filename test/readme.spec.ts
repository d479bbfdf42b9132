// The README's DSL example is a real spec: it records a valid plan with the titles it promises.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';

test('the README example records a valid plan', async ({}, testInfo) => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const example = /```ts example\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example, 'README.md has a ```ts example block').toBeDefined();
  const dir = path.resolve('test-results', 'readme-example');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `example-${testInfo.workerIndex}.ts`);
  // The example imports '../faultline.ts' as a spec in specs/ would; from here that is two levels up.
  fs.writeFileSync(file, example!.replace("'../faultline.ts'", `'${path.resolve('dsl/scenario.ts')}'`).replace('import { scenario }', 'import { definePlan as scenario }').replace(/^scenario\(/m, 'export const plan = scenario('));
  const { plan } = await import(file);
  expect(plan.problems.map((p: Error) => p.message)).toEqual([]);
  expect(plan.steps.map((s: { title: string }) => s.title)).toContain('kill -9 node-1');
  expect(plan.steps.map((s: { title: string }) => s.title)).toContain('put "k" = "v2" via client(node-1) (in the background)');
});

test('the README shows the same whole service configuration that docs/services.md documents (and its test checks)', () => {
  const json = (file: string) => /## (?:A whole configuration|Testing your own services)[\s\S]*?```json\n([\s\S]*?)```/.exec(fs.readFileSync(file, 'utf8'))?.[1];
  const inReadme = json('README.md');
  expect(inReadme, 'README.md has a json configuration under "Testing your own services"').toBeDefined();
  expect(JSON.parse(inReadme!)).toEqual(JSON.parse(json('docs/services.md')!));
  expect(Object.keys(JSON.parse(inReadme!))).toEqual(expect.arrayContaining(['chainfire', 'flaredb']));
});

test("the README's file:line example names a scenario(…) call of that spec", () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const examples = [...readme.matchAll(/npx playwright test (specs\/[\w-]+\.spec\.ts):(\d+)/g)];
  expect(examples.length, 'README.md shows a file:line run').toBeGreaterThan(0);
  for (const [, file, line] of examples) {
    const text = fs.readFileSync(file!, 'utf8').split('\n')[Number(line) - 1];
    expect(text, `${file}:${line} is a scenario(…) call`).toMatch(/^scenario\(/);
    expect(readme, 'the listed line matches the file:line example').toContain(`${path.basename(file!)}:${line}:1 ›`);
  }
});
