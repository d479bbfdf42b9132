// Whether a client's failure is a lost connection (the documented gap of a DOC-GAP cell), from the
// gRPC status and the client's own words: grpc-js, Node, grpc-go (etcdctl), etcd3 and our watch client.

/** A server that is down, frozen or cut off: refused, reset, or no answer in time. */
const CONNECTIVITY_STATUSES = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);
/** Statuses a lost transport can also surface as (grpc-js: RST_STREAM → INTERNAL; etcdctl text → UNKNOWN): decided by their words. */
const AMBIGUOUS_STATUSES = new Set(['UNKNOWN', 'INTERNAL', 'CANCELLED']);
/** A transport that lost its peer, in the words of grpc-js, Node, grpc-go, etcd3, and our etcd watch client. */
const CONNECTIVITY_WORDS = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|Connection dropped|No connection established|Failed to connect|connection (?:refused|reset|closed)|socket hang up|RST_STREAM|transport is closing|context deadline exceeded|circuit breaker is open|the server ended the stream|watch stream was unexpectedly ended/i;
const GRPC_CODE = /\b(CANCELLED|UNKNOWN|INVALID_ARGUMENT|DEADLINE_EXCEEDED|NOT_FOUND|ALREADY_EXISTS|PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS|UNAUTHENTICATED)\b/;

/** Whether a status and its words describe a lost connection. */
export function isConnectivityFailure(status: string, detail = ''): boolean {
  return CONNECTIVITY_STATUSES.has(status) || (AMBIGUOUS_STATUSES.has(status) && CONNECTIVITY_WORDS.test(detail));
}

/** The gRPC status a client's own words carry ("UNAVAILABLE: …", "14 UNAVAILABLE: …", grpc-go's "code = Unavailable"). */
export function statusIn(text: string): string {
  const named = GRPC_CODE.exec(text)?.[1];
  if (named) return named;
  const go = /code = (\w+)/.exec(text)?.[1];
  if (go) return go === 'Canceled' ? 'CANCELLED' : go.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return 'UNKNOWN';
}
