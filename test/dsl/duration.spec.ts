import { test, expect } from '@playwright/test';
import { formatMs, parseDuration } from '../../dsl/duration.ts';
import { ScenarioError } from '../../dsl/errors.ts';

test('durations with a unit parse to milliseconds', () => {
  expect(parseDuration('500ms', 'd')).toBe(500);
  expect(parseDuration('1.5s', 'd')).toBe(1500);
  expect(parseDuration('2m', 'd')).toBe(120_000);
  expect(parseDuration(' 0ms ', 'd')).toBe(0);
});

for (const [input, text] of [
  [500, "must be a duration with a unit, got the number 500"],
  ['-1s', 'cannot be negative'],
  ['5 seconds', 'is not a duration: "5 seconds"'],
  ['', 'is not a duration'],
  [undefined, 'is not a duration: undefined'],
] as const) {
  test(`duration ${JSON.stringify(input)} is rejected with the rule and the fix`, () => {
    let error: unknown;
    try {
      parseDuration(input, 'wait()');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toContain(text);
    expect((error as Error).message).toContain('Fix: ');
  });
}

test('durations format for titles', () => {
  expect(formatMs(500)).toBe('500ms');
  expect(formatMs(1500)).toBe('1.5s');
  expect(formatMs(90_000)).toBe('1.5m');
});
