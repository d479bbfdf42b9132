// A finding about a spec file, printed as `file:line: message` so editors and CI can jump to it.

/** One finding; `line` 0 means "the folder as a whole" (e.g. a seed row nobody wrote yet). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** `specs/s4.spec.ts:12: message` — the shape compilers print. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.message}`;
}
