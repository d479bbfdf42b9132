// A client under test that is a driver program (docs/client-driver.md): one long-running process per
// client, started at its first use; operations and watches are requests, the library's own tries are
// the {attempt} lines it chooses to print.
import { round } from '../records/events.ts';
import type { ProcessGuard } from '../process/node-process.ts';
import type { Endpoint, KvOperation, WholeOperationResult } from '../contract/service.ts';
import type { WatchClientHandle } from '../watch/watch-record.ts';
import { WatchRecorder } from '../watch/watch-recorder.ts';
import { attemptsOf, endpointLabel, statusOfText, type ClientUnderTest, type SubjectWatchOptions } from './client-under-test.ts';
import { DriverProcess } from './driver-process.ts';
import { ClientUnderTestError } from './subject-error.ts';
import type { ClientUnderTestConfig, DriverClientConfig } from '../contract/subject-config.ts';

/** How long a cancel may take before stop() closes the watch anyway. */
const CANCEL_MS = 2000;

/**
 * Starts the driver lazily and keeps it for the run.
 * @example
 * const etcd3 = driverClient(config, { guard: run.guard, logFile: path.join(run.dir, 'etcd3-driver.log'), now: () => run.clock.now() });
 * const r = await etcd3.run({ op: 'get', key: 'k' }, endpoints, run.clock);
 */
export function driverClient(config: ClientUnderTestConfig & DriverClientConfig, options: { guard?: ProcessGuard; logFile?: string; now: () => number }): ClientUnderTest {
  let driver: Promise<DriverProcess> | undefined;
  const started = () => {
    driver ??= DriverProcess.start(config.service, config.name, config, options);
    return driver;
  };
  return {
    name: config.name,
    config,
    async run(op: KvOperation, endpoints: Endpoint[], clock): Promise<WholeOperationResult> {
      const d = await started();
      const start = clock.now();
      const reported: { at: number; status: string; endpoint: string; error?: string }[] = [];
      const reply = await d.request({ op: op.op, key: op.key, ...(op.op === 'put' ? { value: op.value ?? '' } : {}), endpoints: endpoints.map((e) => e.address) }, {
        attempt: (a) => reported.push({ at: clock.now(), status: a.status, endpoint: endpointLabel(endpoints, a.endpoint), ...(a.error ? { error: a.error } : {}) }),
      });
      const end = clock.now();
      const status = reply.outcome === 'ok' ? 'OK' : statusOfText(reply.error ?? '');
      const attempts = attemptsOf(reported, { start, end, endpoint: endpointLabel(endpoints), status, ...(reply.error ? { error: reply.error } : {}) });
      return { outcome: reply.outcome, attempts, ...(reply.error ? { error: reply.error } : {}), ...(op.op === 'get' && reply.outcome === 'ok' ? { value: reply.value ?? null } : {}) };
    },
    async watch(endpoints: Endpoint[], w: SubjectWatchOptions): Promise<WatchClientHandle> {
      const d = await started();
      const recorder = new WatchRecorder(`${config.name} watch`, w.clock);
      let id = -1;
      let stopped = false;
      const listeners = {
        event: (e: { key: string; value?: string; revision?: number; type?: 'put' | 'delete' }) => recorder.event({ type: e.type ?? 'put', key: e.key, ...(e.type === 'delete' ? {} : { value: e.value ?? '' }), revision: e.revision ?? 0 }),
        state: (s: { state: string; detail?: string }) => {
          if (stopped) return;
          recorder.lifecycle(s.state === 'ended' ? 'terminated' : (s.state as 'reconnecting' | 'reconnected' | 'error'), s.detail);
        },
      };
      const reply = await d.request({ op: 'watch', prefix: w.prefix, ...(w.startRevision ? { revision: w.startRevision } : {}), endpoints: endpoints.map((e) => e.address) }, listeners, (n) => (id = n));
      if (reply.outcome !== 'ok') {
        recorder.lifecycle('error', reply.error);
        throw new ClientUnderTestError(config.service, config.name, `its driver could not open a watch on "${w.prefix}": ${reply.error ?? reply.outcome}.`, 'start the watch against a running, ready member.');
      }
      d.stream(id, listeners);
      recorder.lifecycle('started', `watch request ${id} on "${w.prefix}" via ${endpointLabel(endpoints)}${w.startRevision ? ` from revision ${w.startRevision}` : ''}${reply.value ? `: ${reply.value}` : ''} at ${round(w.clock.now())}ms`);
      return {
        name: recorder.recording.client,
        recording: recorder.recording,
        resumes: config.claims.watch?.resumes ?? false,
        async stop() {
          if (stopped) return;
          stopped = true;
          recorder.lifecycle('stopped', 'cancelled by the test');
          d.unstream(id);
          if (d.healthy) await Promise.race([d.request({ op: 'cancel', watch: id }, {}).catch(() => undefined), new Promise((r) => setTimeout(r, CANCEL_MS).unref())]);
        },
      };
    },
    async close() {
      if (driver) await (await driver.catch(() => undefined))?.close();
    },
  };
}
