// A dependent server from configuration (etcd's grpc-proxy): its launch template with {members}, its
// readiness and its claimed reconnects; started by a scenario in front of the cluster and used like a node.
import { EnvironmentError } from '../../runner/process/process-errors.ts';
import type { DependentDefinition } from '../../runner/contract/service.ts';
import { HOST, nodeValues } from './launch.ts';
import { expand } from './placeholders.ts';
import { probeNode } from './probe.ts';
import type { ProtoRegistry } from './proto-registry.ts';
import { serverClaim, type ClaimFail } from './server-claims.ts';
import type { DependentInput } from './service-config.ts';

/** The definition of one dependent kind; `binary` is the service's own when the entry names none. */
export function dependentService(kind: string, input: DependentInput, ctx: { binary: string | undefined; registry: ProtoRegistry; clientPort: string; unavailable: string | undefined; fail: ClaimFail }): DependentDefinition {
  const reconnect = input.claims?.reconnect ? serverClaim(input.claims.reconnect, `dependents.${kind}.claims.reconnect`, ctx.fail) : undefined;
  const binary = input.binary ?? ctx.binary;
  return {
    portNames: [...input.ports],
    ...(reconnect ? { claims: { reconnect } } : {}),
    launch: (node, cluster, members) => {
      if (!binary) throw new EnvironmentError(ctx.unavailable ?? `the "${kind}" dependent server has no binary`);
      // Each member as the server must reach it: a fault proxy when the plan names its links.
      const values = { ...nodeValues(node), members: cluster.nodes.map((n) => members?.get(n.name) ?? `${HOST}:${n.ports[ctx.clientPort]}`).join(',') };
      const env = input.env ? Object.fromEntries(Object.entries(input.env).map(([k, v]) => [k, expand(v, values)])) : undefined;
      return { command: binary, args: input.args.map((a) => expand(a, values)), ...(env ? { env } : {}) };
    },
    endpoint: (node) => ({ node: node.name, address: `${HOST}:${node.ports[input.clientPort]}` }),
    probe: (node) => probeNode(input.readiness, node, { registry: ctx.registry, clientPort: input.clientPort }),
  };
}
