// Which spec files the matrix is read from: every file the config's projects would run (testDir ×
// testMatch − testIgnore), so a file left out by a CLI filter still shows its rows as "not run".
import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig, Suite } from '@playwright/test/reporter';

type Matcher = string | RegExp | (string | RegExp)[];

/** Absolute paths of the spec files of all projects, plus the files the run actually loaded. */
export function specFiles(config: FullConfig, suite?: Suite): string[] {
  const files = new Set<string>();
  for (const p of config.projects) {
    for (const file of walk(p.testDir)) {
      if (matches(p.testMatch, file, p.testDir) && !matches(p.testIgnore, file, p.testDir)) files.add(file);
    }
  }
  for (const s of suite?.suites.flatMap((project) => project.suites) ?? []) {
    if (s.type === 'file' && s.location?.file) files.add(s.location.file);
  }
  return [...files].sort();
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.[cm]?[jt]sx?$/.test(e.name) ? [p] : [];
  });
}

function matches(m: Matcher, file: string, root: string): boolean {
  const list = Array.isArray(m) ? m : [m];
  const rel = path.relative(root, file).split(path.sep).join('/');
  return list.some((x) => (x instanceof RegExp ? x.test(file) : globToRegExp(x).test(rel) || globToRegExp(x).test(file)));
}

/** The glob forms Playwright's testMatch uses: `**`, `*`, `?`, `[..]`, `@(a|b)`, `?(a|b)`, `+(..)`, `*(..)`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const next = glob[i + 1];
    if ('@?+*'.includes(c) && next === '(' && glob.includes(')', i)) {
      const close = glob.indexOf(')', i);
      const inner = glob.slice(i + 2, close).split('|').map((alt) => globToRegExp(alt).source.slice(1, -1)).join('|');
      re += `(?:${inner})${c === '@' ? '' : c}`;
      i = close;
    } else if (c === '*' && next === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      re += glob.slice(i, close + 1);
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
