// A node's command line from the configured template: ports, data dir, peer list and PD endpoints.
import type { ClusterSpec, LaunchCommand, NodeSpec } from '../../runner/contract/service.ts';
import { expand } from './placeholders.ts';
import { originOf, ServiceConfigError, type ServiceConfig } from './service-config.ts';

/** Every node listens on loopback: the runner's faults and proxies assume it. */
export const HOST = '127.0.0.1';

/** The default peer entry: `node-1=127.0.0.1:<raft port>`. */
export const DEFAULT_PEER = '{name}={host}:{port.raft}';

/** The values a node's own placeholders expand to; {advertised.<port>} is where others reach it (a peer gate's port, or its own). */
export function nodeValues(node: NodeSpec): Record<string, string> {
  const values: Record<string, string> = { name: node.name, index: String(node.index), host: HOST, dataDir: node.dataDir, logFile: node.logFile };
  for (const [port, n] of Object.entries(node.ports)) {
    values[`port.${port}`] = String(n);
    values[`advertised.${port}`] = String(node.advertised?.[port] ?? n);
  }
  return values;
}

/** The port members address each other at: the first {port.<name>} of the peer entry, when the launch lists peers. */
export function peerPortOf(config: ServiceConfig): string | undefined {
  const listsPeers = [...config.args, ...Object.values(config.env ?? {})].some((t) => t.includes('{peers}') || t.includes('{otherPeers}'));
  return listsPeers ? /\{port\.([A-Za-z0-9_-]+)\}/.exec(config.peer ?? DEFAULT_PEER)?.[1] : undefined;
}

/**
 * The command that starts `node`; `pd` are the PD endpoints for {pd} (e.g. ChainFire's api ports); `restart`
 * picks the "byStart" values of a node that ran before in this cluster.
 */
export function launchCommand(config: ServiceConfig, binary: string, node: NodeSpec, cluster: ClusterSpec, pd: string[], restart = false): LaunchCommand {
  const uses = (p: string) => [...config.args, ...Object.values(config.env ?? {})].some((t) => t.includes(p));
  if (uses('{pd}') && pd.length === 0) {
    throw new ServiceConfigError(
      originOf(config, 'args'),
      `${config.name}.args`,
      `the launch template uses {pd}, but no PD endpoints are known for "${config.name}".`,
      `set "pd" for "${config.name}" in faultline.services.json (a list like ["127.0.0.1:2379"], or { "service": "chainfire" } to have the runner start one), or start it with a PD cluster.`,
    );
  }
  // Other members reach a node at its advertised ports (a peer gate when the plan names peer links).
  const peer = (n: NodeSpec) => expand(config.peer ?? DEFAULT_PEER, { ...nodeValues(n), ...Object.fromEntries(Object.entries(n.advertised ?? {}).map(([p, v]) => [`port.${p}`, String(v)])) });
  const peersUsed = uses('{peers}') || uses('{otherPeers}');
  const values = {
    ...nodeValues(node),
    token: cluster.token,
    peers: peersUsed ? cluster.nodes.map(peer).join(',') : '',
    otherPeers: peersUsed ? cluster.nodes.filter((n) => n.name !== node.name).map(peer).join(',') : '',
    pd: pd.join(','),
    ...(config.timing ? { heartbeatMs: String(cluster.heartbeatMs ?? config.timing.heartbeatMs), electionMs: String(cluster.electionMs ?? config.timing.electionMs) } : {}),
    ...Object.fromEntries(Object.entries(config.byStart ?? {}).map(([k, v]) => [k, restart ? v.restart : v.first])),
  };
  const env = config.env ? Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, expand(v, values)])) : undefined;
  return { command: binary, args: config.args.map((a) => expand(a, values)), ...(env ? { env } : {}) };
}
