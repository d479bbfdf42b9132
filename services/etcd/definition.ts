// etcd 3.4 as a service under test: launch flags for an n-member cluster, /health readiness,
// leader discovery through Maintenance.Status.
import http from 'node:http';
import { commandOutput } from '../../runner/command.ts';
import type { DependentDefinition, Endpoint } from '../../runner/contract/service.ts';
import { startEtcdWatch } from './watch-client.ts';
import { etcdClients } from './clients.ts';
import type { ClusterSpec, NodeSpec, PeerRetryClaim, ServiceDefinition, ServiceLogs } from '../../runner/contract/service.ts';
import { findBinary, missingBinary } from '../config.ts';
import { EtcdClient } from './client.ts';
import { call, etcdStubs } from './grpc.ts';
import { checkAnswerer, etcdIdentity, type EtcdHeader } from './identity.ts';
import { EnvironmentError, ForeignNodeError } from '../../runner/process/process-errors.ts';
import { FaultlineError } from '../../dsl/errors.ts';

const url = (port: number) => `http://127.0.0.1:${port}`;

/** etcd's command line for one member; DEBUG logs as JSON on stderr. */
export function etcdArgs(node: NodeSpec, cluster: ClusterSpec, restart = false): string[] {
  // Members reach each other at the advertised peer port: a peer gate when the plan names peer links.
  const advertised = (n: NodeSpec) => url(n.advertised?.peer ?? n.ports.peer!);
  const initial = cluster.nodes.map((n) => `${n.name}=${advertised(n)}`).join(',');
  return [
    `--name=${node.name}`,
    `--data-dir=${node.dataDir}`,
    `--listen-client-urls=${url(node.ports.client!)}`,
    `--advertise-client-urls=${url(node.ports.client!)}`,
    `--listen-peer-urls=${url(node.ports.peer!)}`,
    `--initial-advertise-peer-urls=${advertised(node)}`,
    `--initial-cluster=${initial}`,
    `--initial-cluster-token=${cluster.token}`,
    // A member killed before it wrote its WAL must rejoin, not bootstrap again: etcd refuses the
    // latter with "member ... has already been bootstrapped".
    `--initial-cluster-state=${restart ? 'existing' : 'new'}`,
    `--heartbeat-interval=${cluster.heartbeatMs ?? 100}`,
    `--election-timeout=${cluster.electionMs ?? 1000}`,
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=debug',
  ];
}

/** GET /health with a short timeout: ready when etcd says {"health":"true"}. */
export function probeHealth(port: number, timeoutMs = 1000): Promise<{ ready: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = http.get(`${url(port)}/health`, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ ready: res.statusCode === 200 && /"health":\s*"true"/.test(body), detail: `GET /health → ${res.statusCode} ${body.trim()}` }));
    });
    req.on('timeout', () => req.destroy(new FaultlineError(`no answer within ${timeoutMs}ms`)));
    req.on('error', (e) => resolve({ ready: false, detail: `GET ${url(port)}/health → ${e.message}` }));
  });
}

/** Maintenance.Status of one member; with `cluster`, an answer from another cluster or member is a ForeignNodeError. */
export async function etcdStatus(node: NodeSpec, cluster: ClusterSpec | undefined, timeoutMs = 1000): Promise<{ header: EtcdHeader; leader: string }> {
  const endpoint = etcdEndpoint(node, cluster);
  const stubs = etcdStubs(endpoint.address);
  try {
    const s = await call<{ header: EtcdHeader; leader: string }>(stubs.maintenance, 'Status', {}, timeoutMs);
    checkAnswerer(endpoint, s.header);
    return s;
  } finally {
    stubs.close();
  }
}

/** Ready when /health says so and Status answers with this node's own cluster and member id. */
export async function probeEtcd(node: NodeSpec, cluster?: ClusterSpec, timeoutMs = 1000): Promise<{ ready: boolean; detail: string }> {
  const health = await probeHealth(node.ports.client!, timeoutMs);
  if (!health.ready || !cluster) return health;
  try {
    await etcdStatus(node, cluster, timeoutMs);
  } catch (e) {
    if (e instanceof ForeignNodeError) throw e;
    return { ready: false, detail: `${health.detail}; Status → ${(e as Error).message}` };
  }
  return health;
}

/** A member's client endpoint, carrying the ids its answers must state. */
export function etcdEndpoint(node: NodeSpec, cluster?: ClusterSpec): Endpoint {
  return { node: node.name, address: `127.0.0.1:${node.ports.client}`, ...(cluster ? { identity: etcdIdentity(node, cluster) } : {}) };
}

/** The leader as the members see it: the member id most of them report, mapped to its node. */
export async function findEtcdLeader(nodes: NodeSpec[], cluster?: ClusterSpec, timeoutMs = 1000): Promise<string | undefined> {
  const answers = await Promise.all(
    nodes.map(async (n) => {
      try {
        const s = await etcdStatus(n, cluster, timeoutMs);
        return { node: n.name, self: s.header.member_id, leader: s.leader };
      } catch (e) {
        if (e instanceof ForeignNodeError) throw e;
        return undefined;
      }
    }),
  );
  const seen = answers.filter((a) => a !== undefined && a.leader !== '0');
  const self = seen.find((a) => a!.self === a!.leader);
  return self?.node;
}

/**
 * etcd 3.4's own words (zap JSON, measured: docs/peer-links.md): every rafthttp stream dial is a debug
 * line "dial stream reader" naming the peer's advertised URL and the stream; raft logs its role changes.
 */
export const etcdLogs: ServiceLogs = {
  timestamp: { pattern: '"ts":"([^"]+)"', format: 'iso8601' },
  retry: '"msg":"dial stream reader".*"address":"https?://[^/"]*:(?<port>\\d+)/raft/stream/(?<series>[a-z0-9]+)/',
  leader: 'became leader at term (?<term>\\d+)',
  follower: 'became follower at term (?<term>\\d+)',
};

/**
 * What etcd's source says its peer transport does when a peer is unreachable — not taken from a run:
 * etcd server/etcdserver/api/rafthttp/transport.go, `Transport.DialRetryFrequency` ("the frequency of
 * streamReader dial retrial attempts ... (default value: 10 events/sec)", set in Start() to
 * rate.Every(100 * time.Millisecond)); peer.go gives each stream reader rate.NewLimiter(DialRetryFrequency, 1).
 */
export const etcdPeerClaim: PeerRetryClaim = {
  what: 'rafthttp stream reader redial (one loop per stream: msgapp, message)',
  source: 'etcd rafthttp/transport.go DialRetryFrequency = rate.Every(100 * time.Millisecond); rafthttp/peer.go rate.NewLimiter(t.DialRetryFrequency, 1) per stream reader',
  initialMs: 100,
  multiplier: 1,
  maxMs: 100,
  retries: 'unbounded',
  // A rate limiter with burst 1 bounds the redial rate; a dial that itself takes time only spaces them further.
  atMostEvery: true,
  series: ['msgapp', 'message'],
};

/** The etcd service definition; `bin` defaults to ETCD_BIN or `etcd` on PATH. */
export function etcdService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  const bin = findBinary('etcd', 'ETCD_BIN', env);
  return {
    name: 'etcd',
    portNames: ['client', 'peer'],
    peers: { port: 'peer' },
    logs: etcdLogs,
    claims: { peer: etcdPeerClaim },
    unavailable: () => (bin ? undefined : missingBinary('etcd', 'ETCD_BIN', env) + ' — on Debian/Ubuntu: apt-get install etcd-server etcd-client'),
    launch: (node, cluster, context) => ({ command: bin ?? 'etcd', args: etcdArgs(node, cluster, context?.restart) }),
    endpoint: (node, cluster) => etcdEndpoint(node, cluster),
    probe: (node, cluster) => probeEtcd(node, cluster),
    findLeader: (nodes, cluster) => findEtcdLeader(nodes, cluster),
    createClient: () => new EtcdClient(),
    watch: (endpoints, options) => startEtcdWatch(endpoints[0]!, options),
    currentRevision: (endpoint) => currentRevision(endpoint),
    dependents: { 'grpc-proxy': grpcProxy(bin ?? 'etcd') },
    clientsUnderTest: etcdClients(env),
    environment: () => ({ 'etcd version': bin ? etcdVersion(bin) : 'not installed' }),
  };
}

/**
 * `etcd grpc-proxy`: a real server that depends on the cluster (the etcd column of the seed's S2,
 * where FlareDB depends on ChainFire as PD). Ready when a Range through it answers.
 */
function grpcProxy(bin: string): DependentDefinition {
  return {
    portNames: ['client'],
    launch: (node, cluster, members) => ({
      command: bin,
      args: ['grpc-proxy', 'start', `--endpoints=${cluster.nodes.map((n) => members?.get(n.name) ?? `127.0.0.1:${n.ports.client}`).join(',')}`, `--listen-addr=127.0.0.1:${node.ports.client}`, '--debug'],
    }),
    endpoint: (node) => ({ node: node.name, address: `127.0.0.1:${node.ports.client}` }),
    probe: async (node) => {
      const stubs = etcdStubs(`127.0.0.1:${node.ports.client}`);
      try {
        await call(stubs.kv, 'Range', { key: Buffer.from('faultline/ready') }, 1000);
        return { ready: true, detail: 'Range through the proxy answered' };
      } catch (e) {
        return { ready: false, detail: `Range through the proxy: ${(e as Error).message}` };
      } finally {
        stubs.close();
      }
    },
  };
}

/** The cluster's revision as one member reports it (Maintenance.Status). */
async function currentRevision(endpoint: Endpoint): Promise<number> {
  const stubs = etcdStubs(endpoint.address);
  try {
    const status = await call<{ header: EtcdHeader }>(stubs.maintenance, 'Status', {}, 2000);
    checkAnswerer(endpoint, status.header);
    return Number(status.header.revision);
  } finally {
    stubs.close();
  }
}

function etcdVersion(bin: string): string {
  return /etcd Version: (\S+)/.exec(commandOutput(bin, ['--version']) ?? '')?.[1] ?? 'unknown';
}
