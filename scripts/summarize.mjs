#!/usr/bin/env node
// Prints "N passed, N failed" (and skipped/flaky) from a Playwright JSON report's real results.
import fs from 'node:fs';

const file = process.argv[2] ?? 'test-results/own-tests.json';
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed (no test results: the runner did not write ' + file + ')');
  process.exit(1);
}
const { stats } = JSON.parse(fs.readFileSync(file, 'utf8'));
const passed = stats.expected + stats.flaky;
const failed = stats.unexpected;
if (stats.flaky) console.log(`(${stats.flaky} of the passed tests needed a retry)`);
console.log(`${passed} passed, ${failed} failed, ${stats.skipped} skipped`);
