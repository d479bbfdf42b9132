// Which node answered, read where the configuration says a response states it, and checked against the
// ids the node must state: an answer from another process (another run's server on a port we thought
// ours) is a ForeignNodeError, never a success.
import { ForeignNodeError } from '../../runner/process/process-errors.ts';
import { describeListener } from '../../runner/port-owner.ts';
import type { Endpoint, NodeIdentity } from '../../runner/contract/service.ts';
import { readPath } from './request.ts';
import type { IdentityConfig } from './service-config.ts';

/** An id as servers log it: a decimal integer (a uint64 decoded as a string) in hex, anything else as text. */
function idText(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  return /^\d+$/.test(s) ? BigInt(s).toString(16) : s;
}

/** The ids a response states at the configured paths, or undefined when it states none. */
export function readIdentity(response: unknown, paths: Pick<IdentityConfig, 'cluster' | 'member'>): NodeIdentity | undefined {
  const cluster = paths.cluster === undefined ? undefined : idText(readPath(response, paths.cluster));
  const member = paths.member === undefined ? undefined : idText(readPath(response, paths.member));
  if (cluster === undefined || (paths.member !== undefined && member === undefined)) return undefined;
  return { cluster, ...(member === undefined ? {} : { member }) };
}

/**
 * Who answered, checked against what `endpoint` expects: an answer from another cluster or member is a
 * ForeignNodeError naming both and the process behind the port. Without an expectation, the ids as read.
 */
export function checkAnswerer(endpoint: Endpoint, got: NodeIdentity | undefined): NodeIdentity | undefined {
  const want = endpoint.identity;
  if (!want) return got;
  if (got && got.cluster === want.cluster && (want.member === undefined || got.member === want.member)) return got;
  const port = Number(endpoint.address.split(':').pop());
  throw new ForeignNodeError(endpoint.node, endpoint.address, describe(want), `${got ? describe(got) : 'an answer without its cluster and member id'} (${describeListener(port)})`);
}

function describe(id: NodeIdentity): string {
  return `cluster ${id.cluster}${id.member ? `, member ${id.member}` : ''}`;
}
