// `npx faultline <command>`: each command lives in its own file and returns an exit code.

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: 'check <history.jsonl>…                    check histories for linearizability and lost writes',
    load: async () => (await import('./check.ts')).runCheck,
  },
  matrix: {
    summary: 'matrix [--results <dir|json>] [--json]    the declared matrix, with outcomes of a run',
    load: async () => (await import('./matrix.ts')).runMatrix,
  },
  lint: {
    summary: 'lint [paths…]                             check the specs\' matrices against the rules and the seed',
    load: async () => (await import('./lint.ts')).runLint,
  },
  plan: {
    summary: 'plan <spec file…>                         print each scenario\'s steps without starting anything',
    load: async () => (await import('./plan.ts')).runPlan,
  },
};

/** Dispatches to a command; unknown commands get the list of known ones. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const entry = name === undefined ? undefined : commands[name];
  if (!entry) {
    const list = Object.values(commands).map((c) => `  faultline ${c.summary}`).join('\n');
    const lead = name === undefined || name === '--help' ? '' : `Unknown command "${name}".\n`;
    process.stderr.write(`${lead}Usage:\n${list}\n`);
    return name === '--help' ? 0 : 2;
  }
  return (await entry.load())(rest);
}
