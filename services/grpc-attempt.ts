// One gRPC attempt as every gRPC client sees it: how a failure maps to an attempt, and channel options
// without hidden retries. Shared so the etcd and the configured clients agree on "sent".
import * as grpc from '@grpc/grpc-js';

/** Details of a refused connection: the only case where the request certainly never left. */
const NOT_SENT = /ECONNREFUSED|No connection established|connect ECONN|Failed to connect/i;

/** What one failed call means for the attempt and for the channel it used. */
export interface GrpcFailure {
  /** The status name, e.g. "UNAVAILABLE". */
  status: string;
  /** The server's or the transport's own words. */
  details: string;
  /** 'no' only for a refused connection; anything else may have reached the server. */
  sent: 'no' | 'maybe';
  /** True when the channel should be dropped so that the next attempt reconnects. */
  dropChannel: boolean;
}

/** Classifies a gRPC error (or anything thrown by a call). */
export function classifyGrpcError(e: unknown): GrpcFailure {
  const err = e as Partial<grpc.ServiceError>;
  const status = codeName(err.code);
  const details = err.details || err.message || String(e);
  return {
    status,
    details,
    sent: status === 'UNAVAILABLE' && NOT_SENT.test(details) ? 'no' : 'maybe',
    dropChannel: status === 'UNAVAILABLE' || status === 'DEADLINE_EXCEEDED',
  };
}

/** The name of a gRPC status code, e.g. 14 → "UNAVAILABLE". */
export function codeName(code: number | undefined): string {
  return code === undefined ? 'UNKNOWN' : (grpc.status[code] ?? `CODE_${code}`);
}

/** Channel options: no hidden retries (each attempt must be ours and visible), quick reconnects. */
export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.enable_retries': 0,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};
