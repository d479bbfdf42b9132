// One base class for everything Faultline reports, so callers can tell our errors from bugs.
import type { SpecLocation } from './location.ts';
import { formatLocation, pointStackAt } from './location.ts';

/** Base of every error Faultline raises on purpose. */
export class FaultlineError extends Error {
  override name = 'FaultlineError';
}

/** A spec that cannot run as written: states the rule, the fix and where in the spec. */
export class ScenarioError extends FaultlineError {
  override name = 'ScenarioError';
  constructor(
    readonly rule: string,
    readonly fix: string,
    readonly location?: SpecLocation,
  ) {
    super(`${rule}\n  Fix: ${fix}${location ? `\n  at ${formatLocation(location)}` : ''}`);
    // Reporters take the first stack frame as the place to show: make it the spec line.
    if (location) pointStackAt(this, location);
  }
}

/** Every rule one scenario breaks, reported at once; each problem inside keeps its own rule, fix and spec line. */
export class ScenarioProblemsError extends ScenarioError {
  readonly problems: readonly Error[];
  constructor(scenario: string, problems: readonly Error[]) {
    super(`Scenario "${scenario}" has ${problems.length} problems:\n\n${problems.map((p) => p.message).join('\n\n')}`, 'fix each problem above; each names its own fix and spec line.');
    this.problems = problems;
  }
}

/** Suggests the closest known name, for "did you mean" hints. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
