// etcd v3 gRPC stubs over the minimal .proto: for the watch hook (watch-client.ts, a stream configuration cannot
// describe) and for tests and benches that talk to etcd bare, beside Faultline (their baselines).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CHANNEL_OPTIONS } from '../grpc-attempt.ts';

export { CHANNEL_OPTIONS, codeName } from '../grpc-attempt.ts';

const PROTO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proto', 'etcd-v3-min.proto');

type Unary = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: any) => void) => grpc.ClientUnaryCall;

/** The stubs of one endpoint; they share one channel. */
export interface EtcdStubs {
  kv: grpc.Client & { Range: Unary; Put: Unary; DeleteRange: Unary };
  maintenance: grpc.Client & { Status: Unary };
  close(): void;
}

let pkg: any;

function load(): any {
  pkg ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, { longs: String, defaults: true, keepCase: true })).etcdserverpb;
  return pkg;
}

/** Stubs for `address` (host:port) over a fresh channel. */
export function etcdStubs(address: string): EtcdStubs {
  const p = load();
  const kv = new p.KV(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  const maintenance = new p.Maintenance(address, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, channelOverride: kv.getChannel() });
  return { kv, maintenance, close: () => kv.close() };
}

/** Promise form of a unary call with a deadline. */
export function call<T>(stub: grpc.Client, method: string, req: object, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    (stub as any)[method](req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res)));
  });
}

/** A bidirectional Watch call: requests in, responses out. */
export type WatchCall = grpc.ClientDuplexStream<object, any>;

/** A Watch stub on its own channel, so a watch's end is its own and not a side effect of unary calls. */
export function etcdWatchStub(address: string): grpc.Client & { Watch(meta: grpc.Metadata, opts?: grpc.CallOptions): WatchCall } {
  const p = load();
  return new p.Watch(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}
