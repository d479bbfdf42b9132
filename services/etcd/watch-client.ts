// Faultline's own etcd watch client over gRPC. It deliberately does NOT reconnect — the seed's documented
// gap for S5 ("Watch breaks, no auto-reconnect") — so the report shows what a plain stream does on a kill.
import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../runner/time/clock.ts';
import type { Endpoint } from '../../runner/contract/service.ts';
import type { WatchClientHandle, WatchRecording } from '../../runner/watch/watch-record.ts';
import { WatchRecorder } from '../../runner/watch/watch-recorder.ts';
import { WatchClientError } from '../../runner/watch/watch-client-error.ts';
import { FaultlineError } from '../../dsl/errors.ts';
import { codeName, etcdWatchStub } from './grpc.ts';

/** What to watch and how. */
export interface EtcdWatchOptions {
  clock: Clock;
  /** Every key starting with this prefix. */
  prefix: string;
  /** Name in the recording and the report (default "faultline watch"). */
  name?: string;
  /** First revision to deliver (inclusive); default: changes after the watch is created. */
  startRevision?: number;
  /** As etcdctl does: the member cancels the watch when it has no leader (metadata hasleader=true). */
  requireLeader?: boolean;
  /** How long the server may take to confirm the watch, in ms (default 5000). */
  createTimeoutMs?: number;
}

interface WireKv {
  key: Buffer;
  value: Buffer;
  mod_revision: string;
}

interface WireResponse {
  header?: { revision: string };
  watch_id: string;
  created: boolean;
  canceled: boolean;
  compact_revision: string;
  cancel_reason: string;
  events: { type: number | string; kv: WireKv }[];
}

/** The end of the keys with `prefix`: the prefix with its last byte incremented ("\0" = all keys). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * Opens one watch on one endpoint and resolves once the server confirmed it (the "started" record).
 * @example
 * const w = await startEtcdWatch(cluster.endpoint('node-1'), { clock: run.clock, prefix: 's5/' });
 */
export async function startEtcdWatch(endpoint: Endpoint, options: EtcdWatchOptions): Promise<WatchClientHandle> {
  const name = options.name ?? 'faultline watch';
  const recorder = new WatchRecorder(name, options.clock);
  const stub = etcdWatchStub(endpoint.address);
  const meta = new grpc.Metadata();
  if (options.requireLeader) meta.set('hasleader', 'true');
  const call = stub.Watch(meta);
  const where = `${endpoint.node}@${endpoint.address}`;
  let ended = false;
  let stopping = false;
  const end = (kind: 'terminated' | 'error', detail: string) => {
    if (ended || stopping) return;
    ended = true;
    recorder.lifecycle(kind, detail);
  };

  const created = new Promise<WireResponse>((resolve, reject) => {
    call.on('data', (res: WireResponse) => {
      if (res.created && !res.canceled) return resolve(res);
      if (res.canceled) {
        const compacted = Number(res.compact_revision) > 0 ? ` (compacted at revision ${res.compact_revision})` : '';
        end('terminated', `canceled by the server: ${res.cancel_reason || 'no reason given'}${compacted}`);
        call.cancel();
        return reject(new FaultlineError(res.cancel_reason || 'canceled'));
      }
      for (const e of res.events) {
        const deleted = e.type === 1 || e.type === 'DELETE';
        recorder.event({
          type: deleted ? 'delete' : 'put',
          key: e.kv.key.toString(),
          ...(deleted ? {} : { value: e.kv.value.toString() }),
          revision: Number(e.kv.mod_revision),
        });
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      end('terminated', `${codeName(e.code)}: ${e.details || e.message}`);
      reject(e);
    });
    call.on('end', () => {
      end('terminated', 'the server ended the stream');
      reject(new FaultlineError('the server ended the stream'));
    });
  });
  created.catch(() => {});

  const key = Buffer.from(options.prefix);
  call.write({ create_request: { key, range_end: prefixRangeEnd(key), ...(options.startRevision ? { start_revision: options.startRevision } : {}) } });
  const timeoutMs = options.createTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const confirmed = await Promise.race([created, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]).catch((e: Error) => e);
  clearTimeout(timer);
  if (!confirmed || confirmed instanceof Error) {
    stopping = true;
    call.cancel();
    stub.close();
    const why = confirmed ? confirmed.message : `no confirmation within ${timeoutMs} ms`;
    throw new WatchClientError(name, `The watch on "${options.prefix}" at ${where} was not created: ${why}.`, 'start the watch on a running, ready member (cluster.leader() first), or raise createTimeoutMs.', recorder.recording.lifecycle.map((l) => `${l.kind} ${l.detail ?? ''}`));
  }
  const from = options.startRevision ?? Number(confirmed.header?.revision ?? 0) + 1;
  recorder.lifecycle('started', `watch ${confirmed.watch_id} on ${where}, prefix "${options.prefix}", from revision ${from}`);

  return {
    name,
    recording: recorder.recording as WatchRecording,
    resumes: false,
    async stop() {
      if (stopping) return;
      recorder.lifecycle('stopped', ended ? 'the stream had already ended' : 'stream cancelled by the test');
      stopping = true;
      call.cancel();
      stub.close();
    },
  };
}
