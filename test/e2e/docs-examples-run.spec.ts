// Every example in docs/dsl.md also runs for real: each becomes a scenario on the etcd column of a
// child Playwright run, and each must pass (an example that only records would let the docs rot).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder, runChild } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

test('the docs/dsl.md examples run on real etcd and pass', async ({}, testInfo) => {
  test.setTimeout(600_000);
  const examples = [...fs.readFileSync('docs/dsl.md', 'utf8').matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const dir = path.resolve('test-results', `docs-examples-${testInfo.workerIndex}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const body = examples
    .map((code, i) => `scenario('D${i + 1}', 'docs example ${i + 1}', { matrix: { etcd: 'TEST' } }, ({ cluster, client, expect, wait, step }) => {\n${code}});\n`)
    .join('\n');
  fs.writeFileSync(path.join(dir, 'docs-examples.spec.ts'), `import { scenario } from '${path.resolve('faultline.ts')}';\n\n${body}`);
  const out = testInfo.outputPath('child');
  const { tests } = await runChild(out, ['--project=etcd'], { FAULTLINE_SPECS: path.relative(process.cwd(), dir), FAULTLINE_PORT_BASE: String(PORT_BASES.docsExamples) });
  expect(tests.map((t) => t.title).sort()).toEqual(examples.map((_, i) => `D${i + 1} docs example ${i + 1}`).sort());
  const failed = tests.filter((t) => t.outcome !== 'expected');
  expect(failed.map((t) => `${t.title}: ${t.error}`)).toEqual([]);
  expect(await etcdProcessesUnder(out)).toEqual([]);
});
