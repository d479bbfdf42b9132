// Declares a scenario's tests at its spec line: Playwright takes a test's location from the stack of
// test(), which for every scenario is runner/compile.ts, so --list, file:line, reporters and Allure
// would all point there. Playwright has no public way to pass a location; its internal test factory
// takes one (as DataDog's browser-sdk uses it). Verified on the pinned version; checked by
// test/runner/declare-at.spec.ts and, end to end, test/e2e/test-locations.spec.ts.
import { createRequire } from 'node:module';
import type { TestDetails, TestInfo, TestType } from '@playwright/test';
import { FaultlineError } from '../dsl/errors.ts';
import type { SpecLocation } from '../dsl/location.ts';

/** The @playwright/test version whose internals this file was read against (package.json pins it). */
export const VERIFIED_PLAYWRIGHT = '1.65.1';

/** Playwright's internal test factory is not what this file relies on: says what changed and the fix. */
export class PlaywrightInternalsError extends FaultlineError {
  override name = 'PlaywrightInternalsError';
}

/** A test body as Playwright calls it. */
export type TestBody<A> = (args: A, testInfo: TestInfo) => Promise<unknown> | unknown;

/** test() and test.describe(), declared at one place. */
export interface Declarers<A> {
  test(title: string, details: TestDetails, body: TestBody<A>): void;
  describe(title: string, details: TestDetails, body: () => void): void;
}

/** The part of Playwright's TestTypeImpl (common/testType.ts) used here: both take the location second. */
interface TestTypeImpl {
  _createTest(type: 'default', location: SpecLocation, title: string, details: TestDetails, body: TestBody<any>): void;
  _describe(type: 'default', location: SpecLocation, title: string, details: TestDetails, body: () => void): void;
}

/**
 * Playwright's internal factory behind a test function: the object under its `testType` symbol,
 * with `_createTest(type, location, title, details, body)` and `_describe(…)` of that arity.
 * Throws a PlaywrightInternalsError naming what is missing.
 */
export function testTypeImpl(test: object): TestTypeImpl {
  const symbol = Object.getOwnPropertySymbols(test).find((s) => s.description === 'testType');
  const impl = symbol ? (test as Record<symbol, unknown>)[symbol] : undefined;
  const missing = !symbol || typeof impl !== 'object' || impl === null
    ? 'the test function has no Symbol("testType") property holding its TestTypeImpl'
    : (['_createTest', '_describe'] as const).map((m) => {
        const fn = (impl as Record<string, unknown>)[m];
        return typeof fn !== 'function' ? `TestTypeImpl.${m} is not a function` : fn.length !== 5 ? `TestTypeImpl.${m} takes ${fn.length} parameters, not 5 (type, location, title, details, body)` : undefined;
      }).filter(Boolean).join('; ');
  if (missing) {
    throw new PlaywrightInternalsError(
      `Faultline places each scenario's tests at its scenario(…) line through Playwright's internal test factory, read on @playwright/test ${VERIFIED_PLAYWRIGHT}; ` +
        `in the installed @playwright/test ${installedPlaywright()}, ${missing}.\n` +
        `  Fix: install @playwright/test ${VERIFIED_PLAYWRIGHT} (package.json pins it), or adapt runner/declare-at.ts to the new version and run test/e2e/test-locations.spec.ts.`,
    );
  }
  return impl as TestTypeImpl;
}

const warned = new WeakSet<(message: string) => void>();

/**
 * test() and test.describe() as if written at `location`. Without a location (no spec frame on
 * the stack), Playwright's own. If Playwright's internals changed, Playwright's own too, with one
 * warning per process: the tests still run, only their location is runner/compile.ts — and the
 * project's own tests fail, saying what changed.
 */
export function declareAt<A extends {}, W extends {}>(test: TestType<A, W>, location: SpecLocation | undefined, warn: (message: string) => void = console.warn): Declarers<A> {
  const own: Declarers<A> = { test: (title, details, body) => test(title, details, body), describe: (title, details, body) => test.describe(title, details, body) };
  if (!location) return own;
  let impl: TestTypeImpl;
  try {
    impl = testTypeImpl(test);
  } catch (error) {
    if (!(error instanceof PlaywrightInternalsError)) throw error;
    if (!warned.has(warn)) warn(`${error.message}\n  Until then, tests show at runner/compile.ts instead of their spec line.`);
    warned.add(warn);
    return own;
  }
  const at = { file: location.file, line: location.line, column: location.column };
  return {
    test: (title, details, body) => impl._createTest('default', at, title, details, body),
    describe: (title, details, body) => impl._describe('default', at, title, details, body),
  };
}

/** The installed @playwright/test version, for messages. */
export function installedPlaywright(): string {
  try {
    return (createRequire(import.meta.url)('@playwright/test/package.json') as { version: string }).version;
  } catch {
    return '(version unreadable)';
  }
}
