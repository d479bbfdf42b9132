// The static reader: finds every scenario(id, title, options, body) in spec files without running
// them (no process, no import, no type checking), so the matrix can be read before anything runs.
import path from 'node:path';
import { Node, Project, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import type { Diagnostic } from './diagnostic.ts';
import { literalObject, literalString, literalStringRecord, type LiteralProperty } from './literal.ts';

/** A position in a spec: file relative to the working directory (with `/`), 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One matrix cell as written, with where it was written (its `service: 'STATUS'` property). */
export interface MatrixEntry extends SourcePosition {
  service: string;
  status: string;
}

/** A scenario() call as declared in the source. `matrix` is absent when missing or not a literal. */
export interface StaticScenario {
  id: string;
  title: string;
  variant?: string;
  matrix?: Record<string, string>;
  /** How the matrix was written: only a literal one can be read without running the spec. */
  matrixSource: 'literal' | 'non-literal' | 'missing';
  matrixEntries: MatrixEntry[];
  reasons: Record<string, string>;
  recommendation?: string;
  goal?: string;
  location: SourcePosition;
}

/** What the reader found: the scenarios, and the calls it could not read as literals. */
export interface SpecReading {
  files: string[];
  scenarios: StaticScenario[];
  diagnostics: Diagnostic[];
}

/** Where the reader looks when told nothing: the scenario suite. */
export const DEFAULT_SPEC_PATTERNS = ['specs/**/*.spec.ts'];

/** Reads scenario declarations from files or globs (relative to `cwd`). Fast: one Project, no checker. */
export function readSpecs(options: { patterns?: string[]; cwd?: string } = {}): SpecReading {
  const cwd = options.cwd ?? process.cwd();
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { noResolve: true, allowJs: true } });
  project.addSourceFilesAtPaths((options.patterns ?? DEFAULT_SPEC_PATTERNS).map((p) => path.resolve(cwd, p)));
  const reading: SpecReading = { files: [], scenarios: [], diagnostics: [] };
  const sources = project.getSourceFiles().sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()));
  for (const source of sources) {
    reading.files.push(relative(cwd, source.getFilePath()));
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (isScenarioCall(call)) readCall(call, source, cwd, reading);
    }
  }
  return reading;
}

function isScenarioCall(call: CallExpression): boolean {
  const callee = call.getExpression();
  return (Node.isIdentifier(callee) && callee.getText() === 'scenario') || (Node.isPropertyAccessExpression(callee) && callee.getName() === 'scenario');
}

function readCall(call: CallExpression, source: SourceFile, cwd: string, reading: SpecReading): void {
  const at = (node: Node): SourcePosition => position(source, node, cwd);
  const problem = (node: Node, message: string) => reading.diagnostics.push({ ...at(node), message });
  const [idArg, titleArg, optionsArg] = call.getArguments();
  const id = idArg ? literalString(idArg) : undefined;
  const title = titleArg ? literalString(titleArg) : undefined;
  if (!id?.ok || !title?.ok) {
    const bad = id && !id.ok ? id.node : title && !title.ok ? title.node : call;
    problem(bad, `non-literal scenario: the id and title must be string literals to be read without running the spec. Fix: write scenario('S1', 'Raft recovery', ...).`);
    return;
  }
  const scenario: StaticScenario = { id: id.value, title: title.value, matrixSource: 'missing', matrixEntries: [], reasons: {}, location: at(call) };
  reading.scenarios.push(scenario);
  if (!optionsArg) return;
  const options = literalObject(optionsArg);
  if (!options.ok) {
    scenario.matrixSource = 'non-literal';
    problem(options.node, `non-literal matrix: the options of scenario "${scenario.id}" cannot be read without running the spec (${options.why}). Fix: pass an object literal, or a const declared in this file.`);
    return;
  }
  const prop = (name: string): LiteralProperty | undefined => options.value.find((p) => p.name === name);
  const text = (name: 'variant' | 'recommendation' | 'goal') => {
    const p = prop(name);
    if (!p) return;
    const s = literalString(p.value);
    if (s.ok) scenario[name] = s.value;
    else if (name === 'variant') problem(s.node, `non-literal variant in scenario "${scenario.id}": ${s.why}. Fix: write the variant as a string literal, so its tests can be matched to the matrix.`);
  };
  text('variant');
  text('recommendation');
  text('goal');
  const matrix = prop('matrix');
  if (matrix) {
    const cells = literalStringRecord(matrix.value);
    scenario.matrixSource = cells.ok ? 'literal' : 'non-literal';
    if (cells.ok) {
      scenario.matrix = Object.fromEntries(cells.value.map((c) => [c.name, c.value]));
      scenario.matrixEntries = cells.value.map((c) => ({ service: c.name, status: c.value, ...at(c.key) }));
    } else {
      problem(cells.node, `non-literal matrix in scenario "${scenario.id}": ${cells.why}. Fix: write the matrix as an object literal of string statuses, or as a const object literal in this file.`);
    }
  }
  const reasons = prop('reasons');
  if (reasons) {
    const r = literalStringRecord(reasons.value);
    if (r.ok) scenario.reasons = Object.fromEntries(r.value.map((c) => [c.name, c.value]));
  }
}

function position(source: SourceFile, node: Node, cwd: string): SourcePosition {
  const { line, column } = source.getLineAndColumnAtPos(node.getStart());
  return { file: relative(cwd, source.getFilePath()), line, column };
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}
