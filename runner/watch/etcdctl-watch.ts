// `etcdctl watch` as a black-box client under test: a real Go clientv3 watcher in its own process group,
// its JSON output parsed into WatchEvents and its stderr and exit kept as lifecycle records.
import fs from 'node:fs';
import readline from 'node:readline';
import { execa } from 'execa';
import type { Clock } from '../clock.ts';
import { guardGroup, killGroup } from '../guarded-group.ts';
import type { ProcessGuard } from '../node-process.ts';
import type { Endpoint } from '../service.ts';
import type { WatchClientHandle, WatchEvent } from './watch-record.ts';
import { WatchRecorder } from './watch-recorder.ts';
import { WatchClientError } from './watch-client-error.ts';

/** What to watch, where, and with which binary. */
export interface EtcdctlWatchOptions {
  clock: Clock;
  /** Endpoints in etcdctl's --endpoints order. */
  endpoints: Endpoint[];
  prefix: string;
  /** First revision to deliver (--rev). etcdctl never says when its watch exists, so give one to avoid a start race. */
  startRevision?: number;
  /** Name in the recording and the report (default "etcdctl watch"). */
  name?: string;
  /** A copy of stdout and stderr, e.g. `<run dir>/etcdctl-watch.log` so the fixture attaches it. */
  logFile?: string;
  /** Where ETCDCTL_BIN is read (default process.env); without it, `etcdctl` on PATH. */
  env?: NodeJS.ProcessEnv;
  /** The worker's watchdog: it kills the watch's group if this process dies before stop(). */
  guard?: ProcessGuard;
}

/** A running etcdctl watch; `exited` settles when its process ends, for whatever reason. */
export interface EtcdctlWatchHandle extends WatchClientHandle {
  readonly pid: number;
  readonly exited: Promise<{ exitCode?: number; signal?: string }>;
  readonly running: boolean;
}

/** One line of `etcdctl watch -w json` (a clientv3 WatchResponse; keys and values base64). */
interface JsonWatchLine {
  Header?: { revision?: number };
  Events?: { type?: number; kv?: { key?: string; value?: string; mod_revision?: number } }[];
  Canceled?: boolean;
}

/** The events of one output line; throws on a line that is not a watch response. */
export function parseEtcdctlWatchLine(line: string): Omit<WatchEvent, 't'>[] {
  const res = JSON.parse(line) as JsonWatchLine;
  if (typeof res !== 'object' || res === null || !('Events' in res || 'Header' in res)) throw new WatchClientError('etcdctl', `not a watch response: ${line.slice(0, 200)}`, 'etcdctl watch -w json prints one response per line; check the etcdctl version.');
  return (res.Events ?? []).map((e) => {
    const deleted = e.type === 1;
    return {
      type: deleted ? 'delete' : 'put',
      key: Buffer.from(e.kv?.key ?? '', 'base64').toString(),
      ...(deleted ? {} : { value: Buffer.from(e.kv?.value ?? '', 'base64').toString() }),
      revision: e.kv?.mod_revision ?? 0,
    };
  });
}

/**
 * Spawns `etcdctl --endpoints=… watch --prefix <p> -w json` detached; resolves once it runs.
 * @example
 * const w = await startEtcdctlWatch({ clock: run.clock, endpoints: [cluster.endpoint('node-1')], prefix: 's5/', startRevision });
 */
export async function startEtcdctlWatch(options: EtcdctlWatchOptions): Promise<EtcdctlWatchHandle> {
  const name = options.name ?? 'etcdctl watch';
  const env = options.env ?? process.env;
  const bin = env.ETCDCTL_BIN || 'etcdctl';
  const recorder = new WatchRecorder(name, options.clock);
  const args = [`--endpoints=${options.endpoints.map((e) => e.address).join(',')}`, 'watch', '--prefix', options.prefix, '-w', 'json'];
  if (options.startRevision) args.push(`--rev=${options.startRevision}`);
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const sub = execa(bin, args, { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore', env: { ETCDCTL_API: '3' } });
  if (sub.pid === undefined) {
    const r = await sub;
    log?.end();
    throw new WatchClientError(name, `Could not start "${bin}": ${r.shortMessage}.`, 'install etcdctl (Debian: apt-get install etcd-client) or set ETCDCTL_BIN to its path.');
  }
  const pid = sub.pid;
  const refusal = await guardGroup(options.guard, pid, name, sub);
  if (refusal) {
    // Its group was killed: an unguarded watch could outlive this worker.
    await sub;
    log?.end();
    throw refusal.refused;
  }
  const stderr: string[] = [];
  const lines = (stream: NodeJS.ReadableStream | null, fn: (line: string) => void) => {
    if (!stream) return Promise.resolve();
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', (line) => {
      log?.write(`${line}\n`);
      fn(line);
    });
    return new Promise<void>((r) => rl.once('close', r));
  };
  const outDone = lines(sub.stdout, (line) => {
    try {
      for (const e of parseEtcdctlWatchLine(line)) recorder.event(e);
    } catch {
      recorder.lifecycle('error', `unparsed stdout: ${line}`);
    }
  });
  const errDone = lines(sub.stderr, (line) => {
    stderr.push(line);
    recorder.lifecycle('error', line);
  });
  let running = true;
  const exited = sub.then(async (r) => {
    await Promise.all([outDone, errDone]);
    running = false;
    const exitCode = r.exitCode ?? undefined;
    const signal = r.signal ?? undefined;
    const last = stderr[stderr.length - 1];
    recorder.lifecycle('exited', signal ? `signal ${signal}` : `exit code ${exitCode}${last ? `: ${last}` : ''}`);
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    return { exitCode, signal };
  });
  const where = options.endpoints.map((e) => `${e.node}@${e.address}`).join(',');
  recorder.lifecycle('started', `pid ${pid}: etcdctl watch --prefix "${options.prefix}" on ${where}${options.startRevision ? ` from revision ${options.startRevision}` : ''} (spawned; etcdctl does not confirm its watch)`);

  return {
    name,
    recording: recorder.recording,
    resumes: true,
    pid,
    exited,
    get running() {
      return running;
    },
    async stop() {
      if (running) {
        recorder.lifecycle('stopped', `SIGKILL to process group ${pid}`);
        killGroup(pid);
      }
      await exited;
    },
  };
}
