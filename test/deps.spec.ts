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
  report: { folders: ['dsl', 'checker', 'runner', 'report'], packages: ['allure-js-commons', '@playwright/test', 'ts-morph'] },
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

test('the boundary check itself catches a violation', () => {
  expect(imports(path.join('runner', 'execute.ts'))).toContain('@playwright/test');
  expect(RULES.dsl!.packages).not.toContain('execa');
  expect(RULES.checker!.folders).not.toContain('runner');
});
