// A failed node's log in a few lines: the cause first, then the tail, nothing twice.
import { test, expect } from '@playwright/test';
import { logSummary } from '../../../runner/process/log-summary.ts';

test('error-looking lines come first, then the last lines without repeating them', () => {
  const lines = ['start', 'flag provided but not defined: -x', 'usage: a', 'usage: b', 'usage: c'];
  expect(logSummary(lines, 2)).toEqual(['flag provided but not defined: -x', '...', 'usage: b', 'usage: c']);
});

test('without an error-looking line it is the tail alone; an error in the tail is not shown twice', () => {
  expect(logSummary(['a', 'b', 'c'], 2)).toEqual(['b', 'c']);
  expect(logSummary(['a', 'fatal: no space'], 5)).toEqual(['fatal: no space', '...', 'a']);
});
