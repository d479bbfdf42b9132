// Runs Playwright in a child process on the fixture config and reads its JSON results.
import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** One test's outcome from the child's JSON report. */
export interface ChildTest {
  title: string;
  /** Where Playwright places the test: its file (relative to the config's testDir), line and column. */
  file: string;
  line: number;
  column: number;
  project: string;
  status: string;
  /** Playwright's verdict: expected (incl. an expected failure), unexpected, flaky, skipped. */
  outcome: string;
  error?: string;
  /** The errors of every result, retries included (a retried failure is not in `error`). */
  errors: string[];
  attachments: string[];
  /** In-memory attachments (events.json, history.jsonl ...) by name, as text. */
  bodies: Record<string, string>;
  annotations: { type: string; description?: string }[];
}

/** Runs `playwright test` with the fixture config (or `config`); `out` receives results.json and output/. */
export async function runChild(out: string, args: string[], env: Record<string, string> = {}, config = 'test/fixtures/scenarios.config.ts'): Promise<{ tests: ChildTest[]; stdout: string; exitCode?: number }> {
  // Ports are locked per run, so runs cannot meet; a base of its own only spares the child scanning past ours.
  if (!env.FAULTLINE_PORT_BASE) throw new Error('runChild needs FAULTLINE_PORT_BASE from test/e2e/port-bases.ts: add a base for this child there.');
  fs.mkdirSync(out, { recursive: true });
  const r = await execa('npx', ['playwright', 'test', '-c', config, ...args], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: path.resolve(out), ...env },
  });
  return { tests: readChildResults(path.join(out, 'results.json')), stdout: String(r.all ?? ''), exitCode: r.exitCode };
}

/** The tests of a JSON report (e.g. one written by `playwright merge-reports`); none when it is missing. */
export function readChildResults(file: string): ChildTest[] {
  const tests: ChildTest[] = [];
  if (fs.existsSync(file)) collect(JSON.parse(fs.readFileSync(file, 'utf8')).suites ?? [], tests);
  return tests;
}

function collect(suites: any[], into: ChildTest[]): void {
  for (const s of suites) {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests) {
        const res = t.results[t.results.length - 1] ?? {};
        into.push({
          title: spec.title,
          file: spec.file,
          line: spec.line,
          column: spec.column,
          project: t.projectName,
          status: res.status ?? t.status,
          outcome: t.status,
          error: res.error?.message,
          errors: t.results.flatMap((r: any) => (r.errors ?? []).map((e: any) => String(e.message ?? e.value ?? ''))),
          attachments: (res.attachments ?? []).map((a: any) => a.name),
          bodies: Object.fromEntries((res.attachments ?? []).filter((a: any) => a.body).map((a: any) => [a.name, Buffer.from(a.body, 'base64').toString('utf8')])),
          annotations: t.annotations ?? [],
        });
      }
    }
    collect(s.suites ?? [], into);
  }
}

/** etcd processes whose command line mentions `dir` (each child run has its own output dir). */
export async function etcdProcessesUnder(dir: string): Promise<string[]> {
  const r = await execa('pgrep', ['-a', '-f', `etcd .*${path.resolve(dir)}`], { reject: false });
  return String(r.stdout).split('\n').filter(Boolean);
}

const CLI = path.resolve('node_modules/@playwright/test/cli.js');

/**
 * Starts `playwright test` on the fixture config and resolves once its output contains `marker` (a fixture
 * prints FAULTLINE-FIXTURE-READY), so the caller can kill it mid-run. No bound of its own beyond `timeoutMs`:
 * a loaded machine may take minutes to load a worker, and the caller's test timeout is the real limit.
 */
export async function startChildUntil(out: string, args: string[], env: Record<string, string>, marker = 'FAULTLINE-FIXTURE-READY', timeoutMs = 150_000): Promise<{ runner: ResultPromise }> {
  if (!env.FAULTLINE_PORT_BASE) throw new Error('startChildUntil needs FAULTLINE_PORT_BASE from test/e2e/port-bases.ts, or the child shares ports with this run.');
  fs.mkdirSync(out, { recursive: true });
  const runner = execa('node', [CLI, 'test', '-c', 'test/fixtures/scenarios.config.ts', '--reporter=line', ...args], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: path.resolve(out), ...env },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child run did not print ${marker} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    runner.all!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { runner }; // wrapped: an async function would otherwise await the subprocess (a thenable) itself
}
