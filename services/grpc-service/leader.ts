// Leader discovery through a configured RPC: every running node is asked; the leader is the node that
// says it leads (`isLeader`) or whose own id equals the leader id it reports (`self` = `leader`).
import type { Endpoint, NodeSpec } from '../../runner/contract/service.ts';
import { GrpcServiceClient } from './client.ts';
import { checkAnswerer, readIdentity } from './identity.ts';
import type { ProtoRegistry } from './proto-registry.ts';
import { asText, buildRequest, readPath } from './request.ts';
import type { IdentityConfig, LeaderConfig } from './service-config.ts';

/** How to reach each node and, when the service says where answers state it, who must answer. */
export interface LeaderContext {
  endpoint(node: NodeSpec): Endpoint;
  identity?: Pick<IdentityConfig, 'cluster' | 'member'>;
}

/** The leader's node name among `nodes`, or undefined when no node answers as leader; another process's answer throws ForeignNodeError. */
export async function findConfiguredLeader(leader: LeaderConfig, nodes: NodeSpec[], ctx: LeaderContext, registry: ProtoRegistry, timeoutMs = 1000): Promise<string | undefined> {
  const rpc = registry.rpc(leader.call)!;
  const client = new GrpcServiceClient('leader', registry, {});
  try {
    const answers = await Promise.all(
      nodes.map(async (n) => {
        const endpoint = ctx.endpoint(n);
        let res: unknown;
        try {
          res = await client.call(rpc, buildRequest(leader.request ?? {}, {}, rpc.request, registry), endpoint.address, timeoutMs);
        } catch {
          return undefined;
        }
        if (ctx.identity) checkAnswerer(endpoint, readIdentity(res, ctx.identity));
        return { node: n.name, res };
      }),
    );
    for (const a of answers) {
      if (!a) continue;
      if (leader.isLeader !== undefined) {
        if (readPath(a.res, leader.isLeader) === true) return a.node;
        continue;
      }
      const self = asText(readPath(a.res, leader.self!));
      const id = asText(readPath(a.res, leader.leader!));
      if (self && id && id !== '0' && self === id) return a.node;
    }
    return undefined;
  } finally {
    client.close();
  }
}

