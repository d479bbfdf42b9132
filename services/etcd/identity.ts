// The ids etcd derives from its configuration, computed before it starts: an answer carrying other
// ids came from another cluster (another run's etcd on a port we thought ours), never from ours.
import { createHash } from 'node:crypto';
import { ForeignNodeError } from '../../runner/process/process-errors.ts';
import { describeListener } from '../../runner/port-owner.ts';
import type { ClusterSpec, Endpoint, NodeIdentity, NodeSpec } from '../../runner/contract/service.ts';

// The URL a member advertises (a peer gate when the plan names peer links): etcd hashes it into the member id.
const peerUrl = (n: NodeSpec) => `http://127.0.0.1:${n.advertised?.peer ?? n.ports.peer}`;

/** etcd 3.4's membership.NewMember: sha1(sorted peer URLs + cluster token), first 8 bytes. */
export function etcdMemberId(peerUrls: string[], token: string): bigint {
  const hash = createHash('sha1').update([...peerUrls].sort().join('') + token).digest();
  return hash.readBigUInt64BE(0);
}

/** etcd 3.4's RaftCluster.genID: sha1 of the sorted member ids, big-endian, first 8 bytes. */
export function etcdClusterId(memberIds: bigint[]): bigint {
  const sorted = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const b = Buffer.alloc(8 * sorted.length);
  sorted.forEach((id, i) => b.writeBigUInt64BE(id, 8 * i));
  return createHash('sha1').update(b).digest().readBigUInt64BE(0);
}

/** The ids `node` of `cluster` must answer with (hex, as etcd logs them). */
export function etcdIdentity(node: NodeSpec, cluster: ClusterSpec): NodeIdentity {
  const ids = cluster.nodes.map((n) => etcdMemberId([peerUrl(n)], cluster.token));
  return { cluster: etcdClusterId(ids).toString(16), member: etcdMemberId([peerUrl(node)], cluster.token).toString(16) };
}

/** The ids an etcd response header states ({cluster_id, member_id} as decimal strings), in hex. */
export function headerIdentity(header: EtcdHeader | undefined): NodeIdentity | undefined {
  if (!header?.cluster_id || !header.member_id) return undefined;
  return { cluster: BigInt(header.cluster_id).toString(16), member: BigInt(header.member_id).toString(16) };
}

/** The header etcd puts on every response (uint64s as decimal strings). */
export interface EtcdHeader {
  cluster_id?: string;
  member_id?: string;
  revision?: string;
}

/**
 * Who answered, checked against what `endpoint` expects: an answer from another cluster or member is a
 * ForeignNodeError naming both and the process behind the port.
 */
export function checkAnswerer(endpoint: Endpoint, header: EtcdHeader | undefined): NodeIdentity | undefined {
  const got = headerIdentity(header);
  const want = endpoint.identity;
  if (!want) return got;
  if (got && got.cluster === want.cluster && (want.member === undefined || got.member === want.member)) return got;
  const port = Number(endpoint.address.split(':').pop());
  throw new ForeignNodeError(endpoint.node, endpoint.address, describe(want), `${got ? describe(got) : 'an answer without etcd\'s cluster and member id'} (${describeListener(port)})`);
}

function describe(id: NodeIdentity): string {
  return `cluster ${id.cluster}${id.member ? `, member ${id.member}` : ''}`;
}
