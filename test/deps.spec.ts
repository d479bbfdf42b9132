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
 * Inside runner/ (like a DEPS.list per folder): what each subfolder may take from runner/ itself, one level up.
 * Anything else upward is a violation; sideways imports between subfolders are allowed, circles are not.
 * faults/ takes nothing from above: it acts through its own FaultHost interface, which the run adapts to.
 */
const RUNNER_UPWARD: Record<string, string[]> = {
  faults: [],
  firewall: ['events.ts'],
  proxy: ['clock.ts'],
  matchers: ['backoff-shape.ts', 'history.ts', 'node-process.ts', 'peer-retries.ts', 'service.ts'],
  watchdog: [],
  // Being moved out of runner/ (the checker to its own floor).
  checker: ['history.ts'],
  // Clients under test by configuration (issue #14): they run processes, so they sit beside the watchdog's users.
  subjects: ['clock.ts', 'events.ts', 'guarded-group.ts', 'history.ts', 'node-process.ts', 'service.ts'],
  watch: ['clock.ts', 'events.ts', 'guarded-group.ts', 'history.ts', 'node-process.ts', 'poll.ts', 'service.ts'],
};

/** Circles known and owned elsewhere: runner/watch/ is being replaced (issue #14). */
const KNOWN_CIRCLES = ['runner/watch/describe-watch-check.ts > runner/watch/watch-guarantees.ts'];

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

for (const [sub, allowed] of Object.entries(RUNNER_UPWARD)) {
  test(`runner/${sub}/ imports from runner/ only ${allowed.length ? allowed.join(', ') : 'nothing'}`, () => {
    const dir = path.join('runner', sub);
    test.skip(!fs.existsSync(dir), `runner/${sub}/ has moved`);
    const violations: string[] = [];
    for (const file of sources(dir)) {
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = path.relative('.', path.resolve(path.dirname(file), spec));
        if (path.dirname(target) === 'runner' && !allowed.includes(path.basename(target))) violations.push(`${file} imports ${spec} (upward; runner/${sub}/ may take ${allowed.join(', ') || 'nothing'} from runner/)`);
      }
    }
    expect(violations).toEqual([]);
  });
}

test('every runner/ subfolder has a written-down rule', () => {
  const subs = fs.readdirSync('runner', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(subs.filter((s) => !(s in RUNNER_UPWARD))).toEqual([]);
});

test('no import circles inside runner/ (besides the known ones, owned elsewhere)', () => {
  expect(runnerCircles().filter((c) => !KNOWN_CIRCLES.includes(c))).toEqual([]);
});

test('the boundary check itself catches a violation', () => {
  expect(imports(path.join('runner', 'execute.ts'))).toContain('@playwright/test');
  expect(RULES.dsl!.packages).not.toContain('execa');
  expect(RULES.checker!.folders).not.toContain('runner');
});
