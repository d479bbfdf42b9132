// One record shape for every watch client under test (ours, etcdctl, etcd3), so one checker and one
// report section serve them all; times are ms on the run's clock, like every other record.

/** One event as the client delivered it; `revision` is etcd's mod_revision of the change. */
export interface WatchEvent {
  t: number;
  type: 'put' | 'delete';
  key: string;
  value?: string;
  revision: number;
}

/**
 * What happened to the watch itself. started/reconnected: the server confirmed the watch;
 * reconnecting: the client lost it and says it will retry; terminated: the stream ended for good;
 * error: the client reported a problem (stderr line, error event); exited: the client's process ended;
 * stopped: the test stopped the client (lifecycle records after it are the stop's own doing).
 */
export type WatchLifecycleKind = 'started' | 'terminated' | 'error' | 'reconnecting' | 'reconnected' | 'exited' | 'stopped';

/** One lifecycle record; `detail` carries the client's own words (gRPC status, stderr line, exit code). */
export interface WatchLifecycle {
  t: number;
  kind: WatchLifecycleKind;
  detail?: string;
}

/** Everything one watch client did during a run. */
export interface WatchRecording {
  client: string;
  events: WatchEvent[];
  lifecycle: WatchLifecycle[];
}

/** A running watch client; `stop()` ends it (kills its process group, cancels its stream) and waits. */
export interface WatchClientHandle {
  readonly name: string;
  readonly recording: WatchRecording;
  /** Whether the client claims to resume after a lost stream; a lost event only counts against one that does. */
  readonly resumes: boolean;
  stop(): Promise<void>;
}
