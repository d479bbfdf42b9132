// The `etcd3` npm client's watcher as a library client under test: it claims to reconnect with backoff and
// resume from its last revision + 1, so its events and lifecycle are recorded like our own client's.
import { Etcd3, type IKeyValue, type Watcher } from 'etcd3';
import type { Clock } from '../clock.ts';
import type { Endpoint } from '../service.ts';
import type { WatchClientHandle } from './watch-record.ts';
import { WatchRecorder } from './watch-recorder.ts';
import { WatchClientError } from './watch-client-error.ts';

/** What to watch and where; with several endpoints etcd3 picks a host per (re)connect at random. */
export interface Etcd3WatchOptions {
  clock: Clock;
  endpoints: Endpoint[];
  prefix: string;
  /** First revision to deliver (inclusive); default: changes after the watch is created. */
  startRevision?: number;
  /** Name in the recording and the report (default "etcd3 watcher"). */
  name?: string;
  /** How long the first connection may take, in ms (default 5000). */
  createTimeoutMs?: number;
  /** How long stop() waits for the server to confirm the cancel before closing anyway, in ms (default 1000). */
  cancelTimeoutMs?: number;
}

/**
 * Creates an etcd3 watcher on the prefix and resolves once etcd confirmed it (the "started" record).
 * @example
 * const w = await startEtcd3Watch({ clock: run.clock, endpoints: [cluster.endpoint('node-1')], prefix: 's5/' });
 */
export async function startEtcd3Watch(options: Etcd3WatchOptions): Promise<WatchClientHandle> {
  const name = options.name ?? 'etcd3 watcher';
  const recorder = new WatchRecorder(name, options.clock);
  const client = new Etcd3({ hosts: options.endpoints.map((e) => e.address) });
  let builder = client.watch().prefix(options.prefix);
  if (options.startRevision) builder = builder.startRevision(String(options.startRevision));
  // watcher() rather than create(): listeners must be attached before the first 'connected'.
  const watcher: Watcher = builder.watcher();
  let started = false;
  let stopping = false;
  const record = (kv: IKeyValue, type: 'put' | 'delete') =>
    recorder.event({ type, key: kv.key.toString(), ...(type === 'put' ? { value: kv.value.toString() } : {}), revision: Number(kv.mod_revision) });
  watcher.on('put', (kv) => record(kv, 'put'));
  watcher.on('delete', (kv) => record(kv, 'delete'));
  watcher.on('disconnected', (e) => {
    if (!stopping) recorder.lifecycle('reconnecting', `disconnected: ${e.message}`);
  });
  watcher.on('error', (e) => {
    if (!stopping) recorder.lifecycle('error', e.message);
  });
  watcher.on('end', () => {
    if (!stopping) recorder.lifecycle('terminated', 'the watcher ended');
  });
  const where = options.endpoints.map((e) => `${e.node}@${e.address}`).join(',');
  const confirmed = new Promise<string>((resolve, reject) => {
    watcher.on('connected', (res) => {
      const detail = `watch ${res.watch_id} via ${where}, header revision ${res.header.revision}`;
      if (started) recorder.lifecycle('reconnected', detail);
      resolve(detail);
    });
    watcher.once('error', reject);
  });
  const timeoutMs = options.createTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const detail = await Promise.race([confirmed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]).catch((e: Error) => e);
  clearTimeout(timer);
  if (detail === undefined || detail instanceof Error) {
    stopping = true;
    client.close();
    throw new WatchClientError(name, `The etcd3 watcher on "${options.prefix}" via ${where} was not created: ${detail ? detail.message : `no confirmation within ${timeoutMs} ms`}.`, 'start it against a running, ready member, or raise createTimeoutMs.', recorder.recording.lifecycle.map((l) => `${l.kind} ${l.detail ?? ''}`));
  }
  started = true;
  recorder.lifecycle('started', `${detail}, prefix "${options.prefix}"${options.startRevision ? `, from revision ${options.startRevision}` : ''}`);

  return {
    name,
    recording: recorder.recording,
    resumes: true,
    async stop() {
      if (stopping) return;
      recorder.lifecycle('stopped', 'watcher cancelled and client closed by the test');
      stopping = true;
      const cancelMs = options.cancelTimeoutMs ?? 1000;
      await Promise.race([watcher.cancel().catch(() => {}), new Promise((r) => setTimeout(r, cancelMs).unref())]);
      client.close();
    },
  };
}
