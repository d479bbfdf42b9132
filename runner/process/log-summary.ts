// What a node's log says in a few lines when it failed: shared by local and SSH-host nodes.
// Why: a usage dump or a long start log hides the cause; both backends must show it the same way.

const ERROR_LOOKING = /\b(error|fatal|panic|not defined|invalid|cannot)\b/i;

/** Error-looking lines (up to 5) followed by the last `n` lines, each once. */
export function logSummary(lines: readonly string[], n = 10): string[] {
  const errors = lines.filter((l) => ERROR_LOOKING.test(l)).slice(0, 5);
  const tail = lines.slice(-n).filter((l) => !errors.includes(l));
  return errors.length ? [...errors, ...(tail.length ? ['...', ...tail] : [])] : tail;
}
