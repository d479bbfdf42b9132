// `faultline plan <spec file…>`: prints each scenario's recorded steps without starting anything —
// the spec bodies run in plan-only mode (FAULTLINE_PLAN_ONLY=1), so no test is registered.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plan } from '../faultline.ts';

const USAGE = `Usage: faultline plan <spec file…>
Prints every scenario's steps with their spec lines; starts no process.
Exit codes: 0 every plan is valid, 1 a plan has problems (or a spec failed to load), 2 usage.`;

/** Runs the command and returns its exit code. */
export async function runPlan(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (process.stdout.write(`${USAGE}\n`), 0);
  const files = args.filter((a) => !a.startsWith('-'));
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown || !files.length) {
    process.stderr.write(`faultline plan: ${unknown ? `unknown option "${unknown}".` : 'no spec file given.'}\n${USAGE}\n`);
    return 2;
  }
  // Must be set before faultline.ts is first evaluated: it decides there whether to register tests.
  process.env.FAULTLINE_PLAN_ONLY = '1';
  const { recordedPlans } = await import('../faultline.ts');
  let problems = 0;
  for (const file of files) {
    const before = recordedPlans.length;
    try {
      await import(pathToFileURL(path.resolve(file)).href);
    } catch (error) {
      process.stderr.write(`error: cannot load "${file}": ${(error as Error).stack ?? error}\n  Fix: check that the file exists and is a spec that imports scenario from faultline.ts.\n`);
      problems++;
      continue;
    }
    const plans = recordedPlans.slice(before);
    if (!plans.length) process.stdout.write(`${file}: no scenario declared.\n\n`);
    for (const plan of plans) {
      process.stdout.write(formatPlan(plan));
      const all = [...plan.problems, ...Object.values(plan.columnProblems).flat()];
      for (const p of all) process.stderr.write(`error: ${p.message}\n\n`);
      problems += all.length;
    }
  }
  return problems ? 1 : 0;
}

/** One scenario: its title line, matrix, then a numbered line per step with its spec line. */
export function formatPlan(plan: Plan): string {
  const where = (loc?: { file: string; line: number }) => (loc ? `${path.relative(process.cwd(), loc.file).split(path.sep).join('/')}:${loc.line}` : '');
  const head = `${plan.id} ${plan.title}${plan.variant ? ` › ${plan.variant}` : ''}${plan.location ? `  (${where(plan.location)})` : ''}`;
  const matrix = Object.entries(plan.matrix).map(([s, st]) => `${s} ${st}`).join(', ');
  const width = Math.max(0, ...plan.steps.map((s) => s.title.length));
  const steps = plan.steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.title.padEnd(width)}  ${where(s.location)}`.trimEnd());
  return `${[head, `  matrix: ${matrix || '(none)'}`, ...steps].join('\n')}\n\n`;
}
