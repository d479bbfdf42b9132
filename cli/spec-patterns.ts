// Turns `faultline matrix|lint [paths…]` arguments into what the static reader reads: a folder means
// every .ts file under it, a file or glob means itself, nothing means the scenario suite (specs/).
import fs from 'node:fs';
import { DEFAULT_SPEC_PATTERNS } from '../report/static/read-specs.ts';

/** Patterns for the reader and the label of the root (for "seed row not written" findings). */
export function specPatterns(paths: readonly string[]): { patterns: string[]; root: string } {
  if (!paths.length) return { patterns: DEFAULT_SPEC_PATTERNS, root: 'specs/' };
  const patterns = paths.map((p) => (fs.existsSync(p) && fs.statSync(p).isDirectory() ? `${p.replace(/\/+$/, '')}/**/*.ts` : p));
  const first = paths[0]!;
  const root = fs.existsSync(first) && fs.statSync(first).isDirectory() ? `${first.replace(/\/+$/, '')}/` : first;
  return { patterns, root };
}
