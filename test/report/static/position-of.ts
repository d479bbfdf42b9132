// Test helper: the 1-based line and column of a marker in a fixture, so position checks do not
// break when a fixture gains a line.
import fs from 'node:fs';

/** Where `marker` first occurs in `file` (after `after`, when given). */
export function positionOf(file: string, marker: string, after?: string): { file: string; line: number; column: number } {
  const text = fs.readFileSync(file, 'utf8');
  const from = after === undefined ? 0 : text.indexOf(after);
  const at = text.indexOf(marker, from);
  if (from < 0 || at < 0) throw new Error(`marker ${JSON.stringify(marker)} not found in ${file}`);
  const before = text.slice(0, at).split('\n');
  return { file, line: before.length, column: before[before.length - 1]!.length + 1 };
}
