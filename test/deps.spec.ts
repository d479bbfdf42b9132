// Import boundaries, written down and checked (as Playwright's DEPS.list): data flows one way,
// plan → steps → faults → records → verdicts → evidence.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';

/** What each folder may import: other folders of ours, and packages (prefix match). */
const RULES: Record<string, { folders: string[]; packages: string[] }> = {
  dsl: { folders: ['dsl'], packages: [] },
  // The checker is pure (like etcd's validate/): histories in, verdicts out; only dsl/'s error base.
  checker: { folders: ['checker', 'dsl'], packages: [] },
  runner: { folders: ['dsl', 'checker', 'runner'], packages: ['@playwright/test', 'execa', 'playwright-core', 'etcd3'] },
  services: { folders: ['dsl', 'runner', 'services'], packages: ['@grpc/'] },
  report: { folders: ['dsl', 'checker', 'runner', 'report'], packages: ['allure-js-commons', 'allure-playwright', '@playwright/test', 'ts-morph'] },
};

/** Node built-ins that start processes: only runner/ may use them. */
const SPAWNING = ['node:child_process', 'child_process'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

for (const [folder, rule] of Object.entries(RULES)) {
  test(`${folder}/ imports only what its rule allows`, () => {
    const violations: string[] = [];
    for (const file of sources(folder)) {
      for (const spec of imports(file)) {
        if (spec.startsWith('.')) {
          const target = path.relative('.', path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
          if (!rule.folders.includes(target)) violations.push(`${file} imports ${spec} (${folder}/ may import ${rule.folders.join(', ')})`);
        } else if (spec.startsWith('node:') || !spec.includes('/') && ['fs', 'path', 'url', 'net', 'http', 'os', 'crypto', 'readline'].includes(spec)) {
          if (SPAWNING.includes(spec) && folder !== 'runner') violations.push(`${file} imports ${spec}: only runner/ starts processes`);
        } else if (!rule.packages.some((p) => spec === p || spec.startsWith(p.endsWith('/') ? p : `${p}/`))) {
          violations.push(`${file} imports the package "${spec}" (${folder}/ may use ${rule.packages.join(', ') || 'no packages'})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
}

/**
 * Inside runner/ (like a DEPS.list per folder): a subfolder imports from its siblings or from below, never from a
 * folder above it. Shared leaves have rooms of their own (time/, records/, process/, contract/), so no allow list is needed.
 */
function upwardImports(file: string, specs: string[]): string[] {
  const from = path.dirname(file);
  return specs.filter((s) => s.startsWith('.')).filter((spec) => {
    const to = path.dirname(path.relative('.', path.resolve(from, spec)));
    return to !== from && from.startsWith(`${to}${path.sep}`) && (to === 'runner' || to.startsWith(`runner${path.sep}`));
  });
}

/** runner/'s subfolders, nested ones too. */
function runnerSubfolders(dir = 'runner'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => [path.join(dir, e.name), ...runnerSubfolders(path.join(dir, e.name))]);
}

/** Every circle among runner/'s files, each as its sorted members joined by " > ". */
function runnerCircles(): string[] {
  const graph = new Map<string, string[]>();
  for (const file of sources('runner')) {
    graph.set(file, imports(file).filter((s) => s.startsWith('.')).map((s) => path.relative('.', path.resolve(path.dirname(file), s))).filter((t) => t.startsWith(`runner${path.sep}`)));
  }
  const circles = new Set<string>();
  const done = new Set<string>();
  const visit = (file: string, stack: string[]) => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      circles.add([...stack.slice(at)].sort().join(' > '));
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return [...circles];
}

for (const dir of runnerSubfolders()) {
  test(`${dir}/ imports nothing from a folder above it`, () => {
    const violations = fs.readdirSync(dir).filter((f) => /\.(ts|mjs)$/.test(f)).map((f) => path.join(dir, f))
      .flatMap((file) => upwardImports(file, imports(file)).map((spec) => `${file} imports ${spec} (upward: a runner/ subfolder takes only from its siblings or below)`));
    expect(violations).toEqual([]);
  });
}

test('no import circles inside runner/', () => {
  expect(runnerCircles()).toEqual([]);
});

test('the boundary check itself catches a violation', () => {
  expect(imports(path.join('runner', 'execute.ts'))).toContain('@playwright/test');
  expect(RULES.dsl!.packages).not.toContain('execa');
  expect(RULES.checker!.folders).not.toContain('runner');
  expect(upwardImports(path.join('runner', 'faults', 'kill.ts'), ['../run.ts', './fault.ts', '../records/clock.ts', '../../dsl/plan.ts'])).toEqual(['../run.ts']);
  expect(upwardImports(path.join('runner', 'run.ts'), ['./records/clock.ts'])).toEqual([]);
});
