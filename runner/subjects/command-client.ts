// A client under test that is a CLI (docs/services.md, "clients"): one process per operation in its own
// group under the watchdog, arguments from templates, the value read as configured, its tries taken
// from the stderr lines it writes per failed try. A watch is one process until stopped.
import fs from 'node:fs';
import readline from 'node:readline';
import { execa } from 'execa';
import type { Clock } from '../time/clock.ts';
import { round } from '../records/events.ts';
import { guardGroup, killGroup } from '../process/guarded-group.ts';
import type { Outcome } from '../records/history.ts';
import type { ProcessGuard } from '../process/node-process.ts';
import type { Endpoint, KvOperation, WholeOperationResult } from '../contract/service.ts';
import type { WatchClientHandle } from '../watch/watch-record.ts';
import { WatchRecorder } from '../watch/watch-recorder.ts';
import { attemptsOf, endpointLabel, statusOfText, type ClientUnderTest, type SubjectWatchOptions } from './client-under-test.ts';
import { readValue, readWatchLine } from './read-output.ts';
import { fillTemplate, type ClientUnderTestConfig, type CommandClientConfig, type TemplateValues } from '../contract/subject-config.ts';
import { ClientUnderTestError } from './subject-error.ts';

interface Spawned {
  pid: number;
  done: Promise<{ exitCode?: number; signal?: string; killed: boolean; stdout: string[]; stderr: { t: number; line: string }[] }>;
}

/**
 * Runs the configured command per operation.
 * @example
 * const ctl = commandClient(config, { guard: run.guard, logFile: path.join(run.dir, 'etcdctl.log') });
 * const r = await ctl.run({ op: 'put', key: 'k', value: 'v' }, endpoints, run.clock);
 */
export function commandClient(config: ClientUnderTestConfig & CommandClientConfig, options: { guard?: ProcessGuard; logFile?: string }): ClientUnderTest {
  const running = new Map<number, Promise<unknown>>();
  const attemptRe = config.attemptLine === undefined ? undefined : new RegExp(config.attemptLine);
  const notSentRe = config.notSent === undefined ? undefined : new RegExp(config.notSent);
  let nextId = 1;
  const log = (line: string) => options.logFile && fs.appendFileSync(options.logFile, `${line}\n`);
  const values = (endpoints: Endpoint[], extra: TemplateValues): TemplateValues => ({ endpoints: endpoints.map((e) => e.address).join(','), endpoint: endpoints[0]?.address, ...extra });

  async function spawn(args: string[], clock: Clock, tag: string, timeoutMs: number | undefined, onStdout?: (line: string) => void, onStderr?: (line: string) => void): Promise<Spawned> {
    const sub = execa(config.command, args, { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore', env: config.env });
    if (sub.pid === undefined) {
      const r = await sub;
      throw new ClientUnderTestError(config.service, config.name, `its command "${config.command}" could not be started: ${r.shortMessage}.`, `install it, or point "clients.${config.name}.command.binary" at its path.`);
    }
    const pid = sub.pid;
    const refusal = await guardGroup(options.guard, pid, `${config.name} ${tag.startsWith("watch") ? "watch" : tag} (${config.service})`, sub);
    if (refusal) {
      await sub;
      throw refusal.refused;
    }
    log(`+${round(clock.now())}ms [${tag} pid ${pid}] ${config.command} ${args.join(' ')}`);
    const stdout: string[] = [];
    const stderr: { t: number; line: string }[] = [];
    const lines = (stream: NodeJS.ReadableStream | null, name: string, fn: (l: string) => void) =>
      new Promise<void>((resolve) => {
        if (!stream) return resolve();
        const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
        rl.on('line', (l) => {
          log(`+${round(clock.now())}ms [${tag} pid ${pid}] ${name}: ${l}`);
          fn(l);
        });
        rl.once('close', resolve);
      });
    const out = lines(sub.stdout, 'stdout', (l) => (stdout.push(l), onStdout?.(l)));
    const err = lines(sub.stderr, 'stderr', (l) => (stderr.push({ t: clock.now(), line: l }), onStderr?.(l)));
    let killed = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((killed = true), killGroup(pid)), timeoutMs);
    const done = Promise.all([sub, out, err]).then(([r]) => {
      clearTimeout(timer);
      running.delete(pid);
      log(`+${round(clock.now())}ms [${tag} pid ${pid}] exit code ${r.exitCode ?? '-'}, signal ${r.signal ?? '-'}${killed ? `, killed after its timeout of ${timeoutMs} ms` : ''}`);
      return { exitCode: r.exitCode ?? undefined, signal: r.signal ?? undefined, killed, stdout, stderr };
    });
    running.set(pid, done);
    return { pid, done };
  }

  const client: ClientUnderTest = {
    name: config.name,
    config,
    async run(op: KvOperation, endpoints: Endpoint[], clock: Clock): Promise<WholeOperationResult> {
      const mapping = config[op.op];
      if (!mapping) throw new ClientUnderTestError(config.service, config.name, `it has no "${op.op}" in its configuration, but the scenario makes one.`, `add "clients.${config.name}.command.${op.op}" with its "args", or use another client for ${op.op}.`);
      const id = nextId++;
      const args = mapping.args.map((a) => fillTemplate(a, values(endpoints, { key: op.key, value: op.value ?? '' })));
      const start = clock.now();
      const p = await spawn(args, clock, `op ${id}`, config.timeoutMs);
      const r = await p.done;
      const end = clock.now();
      const reported = attemptRe ? r.stderr.flatMap(({ t, line }) => {
        const g = attemptRe.exec(line)?.groups;
        if (!g) return [];
        const error = unescape(g.error ?? line);
        return [{ at: t, status: statusOfText(error), endpoint: endpointLabel(endpoints, g.target === undefined ? undefined : unescape(g.target).split('/').pop()), error: `${error}${g.target ? ` (target ${unescape(g.target)})` : ''}` }];
      }) : [];
      const lastErr = [...r.stderr].reverse().find((l) => l.line.trim() !== '')?.line;
      const ok = r.exitCode === 0 && !r.killed;
      const error = ok ? undefined : r.killed ? `${config.name} outlived its timeout of ${config.timeoutMs} ms and its process group was killed${lastErr ? `; last stderr line: ${lastErr}` : ''}` : `${lastErr ?? '(no stderr)'} (exit code ${r.exitCode ?? '-'}${r.signal ? `, signal ${r.signal}` : ''})`;
      const outcome: Outcome = ok ? 'ok' : op.op === 'get' ? 'fail' : r.killed || r.signal ? 'info' : notSentRe && r.stderr.some((l) => notSentRe.test(l.line)) ? 'fail' : 'info';
      const status = ok ? 'OK' : r.killed ? 'DEADLINE_EXCEEDED' : (reported.at(-1)?.status ?? statusOfText(lastErr ?? ''));
      const attempts = attemptsOf(reported, { start, end, endpoint: endpointLabel(endpoints), status, ...(error ? { error } : {}) });
      const result: WholeOperationResult = { outcome, attempts, ...(error ? { error } : {}) };
      if (op.op === 'get' && ok) {
        const v = readValue(r.stdout.join('\n'), mapping.value!);
        if (v !== null && typeof v === 'object') throw new ClientUnderTestError(config.service, config.name, v.problem, v.fix, r.stdout.slice(-3));
        result.value = v;
      }
      return result;
    },
    async close() {
      for (const pid of running.keys()) killGroup(pid);
      await Promise.allSettled(running.values());
    },
  };
  if (config.watch) {
    const watchConfig = config.watch;
    client.watch = async (endpoints: Endpoint[], w: SubjectWatchOptions): Promise<WatchClientHandle> => {
      const recorder = new WatchRecorder(`${config.name} watch`, w.clock);
      const args = watchConfig.args.map((a) => fillTemplate(a, values(endpoints, { prefix: w.prefix, revision: String(w.startRevision ?? 0) })));
      const p = await spawn(
        args,
        w.clock,
        `watch ${JSON.stringify(w.prefix)}`,
        undefined,
        (line) => {
          const events = readWatchLine(line, watchConfig.line);
          if (typeof events === 'string') recorder.lifecycle('error', `stdout line that ${events}: ${line}`);
          else for (const e of events) recorder.event(e);
        },
        (line) => recorder.lifecycle('error', line),
      );
      let running = true;
      const exited = p.done.then((r) => {
        running = false;
        const last = r.stderr.at(-1)?.line;
        recorder.lifecycle('exited', r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode}${last ? `: ${last}` : ''}`);
      });
      recorder.lifecycle('started', `pid ${p.pid}: ${config.command} ${args.join(' ')} (spawned; a command does not confirm its watch)`);
      return {
        name: recorder.recording.client,
        recording: recorder.recording,
        resumes: config.claims.watch?.resumes ?? false,
        async stop() {
          if (running) {
            recorder.lifecycle('stopped', `SIGKILL to process group ${p.pid}`);
            killGroup(p.pid);
          }
          await exited;
        },
      };
    };
  }
  return client;
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
