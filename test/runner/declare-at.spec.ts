// runner/declare-at.ts against the installed Playwright: its internal test factory is there and
// places a test where it is told; when it changed, Playwright's own test() with one clear warning.
import { fileURLToPath } from 'node:url';
import { test, expect, type TestType } from '@playwright/test';
import { declareAt, PlaywrightInternalsError, testTypeImpl } from '../../runner/declare-at.ts';
import { test as faultlineTest } from '../../runner/fixture.ts';

const BROKE = "runner/declare-at.ts no longer places a test at the location it is given: did a Playwright upgrade change TestTypeImpl._createTest/_describe?";
const here = fileURLToPath(import.meta.url);

// Declared at line 1 of this file, wherever this call is: the test checks it from its own TestInfo.
const atLineOne = declareAt(test, { file: here, line: 1, column: 1 });
atLineOne.describe('declared through declareAt', {}, () => {
  atLineOne.test('is placed at the location it was given', {}, ({}, testInfo) => {
    expect(`${testInfo.file}:${testInfo.line}:${testInfo.column}`, BROKE).toBe(`${here}:1:1`);
  });
});

test("the installed Playwright has the internal test factory runner/declare-at.ts uses (Playwright's test and Faultline's)", () => {
  for (const t of [test, faultlineTest]) expect(() => testTypeImpl(t)).not.toThrow();
});

test('a factory whose methods changed shape is refused, naming what changed and the fix', () => {
  const fake = Object.assign(() => {}, { [Symbol('testType')]: { _createTest: (_type: string, _title: string) => {}, _describe: (_a: 1, _b: 2, _c: 3, _d: 4, _e: 5) => {} } });
  expect(() => testTypeImpl(fake)).toThrow(PlaywrightInternalsError);
  expect(() => testTypeImpl(fake)).toThrow(/TestTypeImpl\._createTest takes 2 parameters, not 5 \(type, location, title, details, body\)/);
  expect(() => testTypeImpl(fake)).toThrow(/Fix: install @playwright\/test 1\.65\.1 \(package\.json pins it\), or adapt runner\/declare-at\.ts/);
});

test("without the internal factory: Playwright's own test() and describe(), and one warning per process", () => {
  const calls: string[] = [];
  // Fixture: a test function as Playwright's public API has it, without the internal symbol.
  const fake = Object.assign((title: string) => void calls.push(`test ${title}`), {
    describe: (title: string, _details: unknown, body: () => void) => {
      calls.push(`describe ${title}`);
      body();
    },
  }) as unknown as TestType<{}, {}>;
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);
  for (const id of ['S1', 'S2']) {
    const declare = declareAt(fake, { file: '/suite/specs/s.spec.ts', line: 3, column: 1 }, warn);
    declare.describe('etcd', {}, () => declare.test(id, {}, () => {}));
  }
  expect(calls).toEqual(['describe etcd', 'test S1', 'describe etcd', 'test S2']);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('the test function has no Symbol("testType") property holding its TestTypeImpl');
  expect(warnings[0]).toContain('tests show at runner/compile.ts instead of their spec line');
});

test("without a location (no spec frame on the stack): Playwright's own test(), no warning", () => {
  const calls: string[] = [];
  const fake = Object.assign((title: string) => void calls.push(title), { describe: () => {} }) as unknown as TestType<{}, {}>;
  const warnings: string[] = [];
  declareAt(fake, undefined, (m) => void warnings.push(m)).test('t', {}, () => {});
  expect(calls).toEqual(['t']);
  expect(warnings).toEqual([]);
});
