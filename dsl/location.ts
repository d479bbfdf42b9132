// Where in a spec a verb was written: steps and errors point there, not into Faultline.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** A position in a spec file (1-based line and column), the shape Playwright's steps take. */
export interface SpecLocation {
  file: string;
  line: number;
  column: number;
}

const faultlineRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const internalDirs = ['dsl', 'runner', 'services', 'report'].map((d) => path.join(faultlineRoot, d) + path.sep);
const internalFiles = [path.join(faultlineRoot, 'faultline.ts')];

/** The first stack frame outside Faultline's own folders and node_modules. */
export function callerLocation(): SpecLocation | undefined {
  return userFrames(new Error().stack)[0];
}

/**
 * Where a scenario is declared: the innermost frame outside Faultline that lies in the file being
 * loaded (the outermost such file on the stack). Written in a spec, that is its scenario(…) call;
 * declared through a helper module, the spec line calling the helper — so its tests stay in the
 * spec that Playwright loads, and a file or file:line filter finds them.
 */
export function declarationLocation(): SpecLocation | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  let stack: string | undefined;
  try {
    stack = new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frames = userFrames(stack);
  const loading = frames.at(-1)?.file;
  return frames.find((f) => f.file === loading);
}

/** The frames of a stack outside Faultline's own folders and node_modules, innermost first. */
function userFrames(stack = ''): SpecLocation[] {
  const frames: SpecLocation[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (internalFiles.includes(file) || internalDirs.some((d) => file.startsWith(d))) continue;
    frames.push({ file, line: Number(m[2]), column: Number(m[3]) });
  }
  return frames;
}

/** `specs/s4.spec.ts:12:5`, relative to the working directory when inside it. */
export function formatLocation(loc: SpecLocation): string {
  const rel = path.relative(process.cwd(), loc.file);
  const shown = rel.startsWith('..') ? loc.file : rel;
  return `${shown}:${loc.line}:${loc.column}`;
}

/**
 * The one place a stack is rewritten: "Name: message", then `at` (a spec line, or frames kept from a cause).
 * Reporters show the first frame, so an error points at the spec, not into Faultline.
 */
export function pointStackAt(e: Error, at: SpecLocation | readonly string[]): void {
  const frames = Array.isArray(at) ? at : [`    at ${(at as SpecLocation).file}:${(at as SpecLocation).line}:${(at as SpecLocation).column}`];
  e.stack = `${e.name}: ${e.message}\n${frames.join('\n')}`;
}
