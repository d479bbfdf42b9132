// The lint rules on fixtures: each rule fires where the problem is written, and the seed's table
// is the reference for S1–S5.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { formatDiagnostic } from '../../../report/static/diagnostic.ts';
import { lintSpecs } from '../../../report/static/lint.ts';
import { SEED_MATRIX } from '../../../report/static/seed-matrix.ts';
import { positionOf } from './position-of.ts';

const SEED_FILE = '/work/shared/seed/T040-S4-service-reconnection-scenarios.md';
const RULES = 'test/report/static/fixtures/lint-rules.fixture.ts';
const at = (marker: string, after?: string) => positionOf(RULES, marker, after);

test('each rule fires once, at the line that needs the fix', () => {
  const found = lintSpecs({ patterns: [RULES], root: 'test/report/static/fixtures/' });
  const on = (text: string) => found.filter((d) => d.message.includes(text));
  expect(on('duplicate scenario "R1 › same"')).toMatchObject([{ line: at("scenario('R1'", "variant: 'same' }, () => {});").line }]);
  expect(on('duplicate scenario')[0]!.message).toContain(`first declared at ${RULES}:${at("scenario('R1'").line}`);
  expect(on('status "TETS"')).toMatchObject([{ ...at("etcd: 'TETS'") }]);
  expect(on('status "TETS"')[0]!.message).toContain('Fix: did you mean "TEST"?');
  expect(on('service "chainfir"')).toMatchObject([{ ...at('chainfir:') }]);
  expect(on('service "chainfir"')[0]!.message).toContain('did you mean "chainfire"?');
  expect(on('"R4" has no matrix')).toMatchObject([{ ...at("scenario('R4'") }]);
  expect(on('cell S4 × IAM')).toMatchObject([{ ...at("iam: 'TEST' } }", "scenario('S4'") }]);
  expect(on('cell S4 × IAM')[0]!.message).toContain('declared "TEST", the seed says "DOC-GAP"');
  expect(on('cell S4 ×')).toHaveLength(1);
  expect(on('cell S2 ×')).toEqual([]);
  expect(on('cell S3 ×')).toMatchObject([{ ...at("flaredb: 'n/a', plasmavmc: 'SKIP'") }]);
  expect(on('cell S3 × FlareDB')[0]!.message).toContain('declared "n/a", the seed says "TEST"');
  expect(on('is declared by no spec yet').map((d) => [d.file, d.line, d.message.slice(0, 11)])).toEqual(
    ['S1', 'S5'].map((id) => ['test/report/static/fixtures/', 0, `seed row ${id}`]),
  );
});

test('printed as file:line: message', () => {
  expect(formatDiagnostic({ file: 'specs/a.spec.ts', line: 12, column: 5, message: 'x' })).toBe('specs/a.spec.ts:12: x');
});

test('the real S4 agrees with the seed; only the unwritten rows are reported', () => {
  const found = lintSpecs();
  expect(found.filter((d) => d.line !== 0)).toEqual([]);
  expect(found.every((d) => d.file === 'specs/')).toBe(true);
});

test('the seed table is the seed file, cell by cell', () => {
  test.skip(!fs.existsSync(SEED_FILE), `the seed file is not on this machine (${SEED_FILE})`);
  const seed = fs.readFileSync(SEED_FILE, 'utf8');
  const rows = [...seed.matchAll(/^\| (S\d): ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2]!.trim(), m[3]!.trim(), m[4]!.trim(), m[5]!.trim(), m[6]!.trim()]);
  expect(rows).toEqual(SEED_MATRIX.map((r) => [r.id, r.title, r.cells.chainfire, r.cells.flaredb, r.cells.plasmavmc, r.cells.iam]));
});
