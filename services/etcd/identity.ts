// A hook of etcd's configuration (etcd.service.json) in code because configuration cannot say it: the
// ids etcd derives from its launch (sha1 of its peer URLs and the cluster token), computed before it
// starts. The generic path reads the ids each answer states ("identity" paths) and compares them with these.
import { createHash } from 'node:crypto';
import type { ClusterSpec, NodeIdentity, NodeSpec } from '../../runner/contract/service.ts';

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
