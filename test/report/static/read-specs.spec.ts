// The static reader on fixture specs: literal and const matrices resolved, everything else reported
// as a non-literal matrix at the right file:line, and nothing imported or run.
import { test, expect } from '@playwright/test';
import { readSpecs } from '../../../report/static/read-specs.ts';
import { positionOf } from './position-of.ts';

const DIR = 'test/report/static/fixtures';
const LITERAL = `${DIR}/literal-matrix.fixture.ts`;
const NON_LITERAL = `${DIR}/non-literal-matrix.fixture.ts`;

test('literal matrices: inline, a const with as const, a shorthand, a spread, a const in a function', () => {
  const { scenarios, diagnostics } = readSpecs({ patterns: [LITERAL] });
  expect(diagnostics).toEqual([]);
  expect(scenarios.map((s) => [s.id, s.title, s.variant, s.matrix])).toEqual([
    ['L1', 'Inline literal', 'inline', { etcd: 'TEST', chainfire: 'SKIP' }],
    ['L1', 'Inline literal', 'from a const', { etcd: 'TEST', iam: 'DOC-GAP' }],
    ['L2', 'Shorthand', undefined, { flaredb: 'TEST', plasmavmc: 'SKIP' }],
    ['L3', 'Const in a function', 'template', { etcd: 'n/a', chainfire: 'TEST' }],
  ]);
  const [inline, fromConst] = scenarios;
  expect(inline!.recommendation).toBe('Add a reconnect loop.');
  expect(inline!.matrixSource).toBe('literal');
  expect(fromConst!.reasons).toEqual({ iam: 'No retry mechanism (fixture).' });
  expect(fromConst!.goal).toBe('Show a spread.');
});

test('positions: each scenario at its call, each matrix cell at its property', () => {
  const { scenarios } = readSpecs({ patterns: [LITERAL] });
  expect(scenarios[0]!.location).toEqual(positionOf(LITERAL, "scenario('L1', 'Inline literal', { matrix: { etcd"));
  expect(scenarios[1]!.location).toEqual(positionOf(LITERAL, "scenario('L1', 'Inline literal', {\n"));
  expect(scenarios[0]!.matrixEntries.find((e) => e.service === 'chainfire')).toEqual({ service: 'chainfire', status: 'SKIP', ...positionOf(LITERAL, "chainfire: 'SKIP' }, variant: 'inline'") });
  // A const matrix's cells point into the const, where a fix would be made.
  expect(scenarios[1]!.matrixEntries.find((e) => e.service === 'iam')).toEqual({ service: 'iam', status: 'DOC-GAP', ...positionOf(LITERAL, "iam: 'DOC-GAP' } as const") });
});

test('non-literal matrices are reported with file:line and why, and read as having no matrix', () => {
  const { scenarios, diagnostics } = readSpecs({ patterns: [NON_LITERAL] });
  expect(scenarios.map((s) => [s.id, s.matrixSource, s.matrix])).toEqual([
    ['N1', 'non-literal', undefined],
    ['N2', 'non-literal', undefined],
    ['N3', 'non-literal', undefined],
    ['N4', 'non-literal', undefined],
  ]);
  expect(diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column }))).toEqual([
    positionOf(NON_LITERAL, 'columns() }, () => {});'),
    positionOf(NON_LITERAL, 'mutable }, () => {});'),
    positionOf(NON_LITERAL, "makeOptions(), () => {});"),
    positionOf(NON_LITERAL, 'm }, () => {});'),
  ]);
  for (const d of diagnostics) expect(d.message).toMatch(/^non-literal matrix/);
  expect(diagnostics[0]!.message).toContain('`columns()` is not an object literal');
  expect(diagnostics[1]!.message).toContain('"mutable" is declared with let, not const');
  expect(diagnostics[2]!.message).toContain('options of scenario "N3"');
  expect(diagnostics[3]!.message).toContain('"m" is a function parameter');
  expect(diagnostics[0]!.message).toContain('Fix: ');
});

test('the real specs: S4 with its three variants and the seed row as its matrix', () => {
  const { scenarios } = readSpecs();
  const s4 = scenarios.filter((s) => s.id === 'S4');
  expect(s4.length).toBeGreaterThanOrEqual(3);
  expect(s4.map((s) => s.variant)).toEqual(expect.arrayContaining(['SIGTERM + start', 'kill -9 + start', 'SIGSTOP/SIGCONT freeze']));
  // The failure-method variants carry the seed row; the etcdctl variant is etcd's alone (etcdctl speaks etcd's API).
  for (const s of s4.filter((v) => !v.variant?.includes('etcdctl'))) expect(s.matrix).toMatchObject({ chainfire: 'TEST', flaredb: 'TEST', plasmavmc: 'DOC-GAP', iam: 'DOC-GAP' });
  expect(s4.find((v) => v.variant?.includes('etcdctl'))?.matrix).toEqual({ chainfire: 'n/a', flaredb: 'n/a', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' });
  expect(s4[0]!.location.file).toBe('specs/s4-restart-recovery.spec.ts');
});
