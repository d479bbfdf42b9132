// etcd 3.4 as a service under test: launch flags for an n-member cluster, /health readiness,
// leader discovery through Maintenance.Status.
import http from 'node:http';
import { commandOutput } from '../../runner/command.ts';
import type { DependentDefinition, Endpoint } from '../../runner/service.ts';
import { startEtcdWatch } from './watch-client.ts';
import { etcdClients } from './clients.ts';
import type { ClusterSpec, NodeSpec, ServiceDefinition } from '../../runner/service.ts';
import { findBinary, missingBinary } from '../config.ts';
import { EtcdClient } from './client.ts';
import { call, etcdStubs } from './grpc.ts';

const url = (port: number) => `http://127.0.0.1:${port}`;

/** etcd's command line for one member; DEBUG logs as JSON on stderr. */
export function etcdArgs(node: NodeSpec, cluster: ClusterSpec, restart = false): string[] {
  const initial = cluster.nodes.map((n) => `${n.name}=${url(n.ports.peer!)}`).join(',');
  return [
    `--name=${node.name}`,
    `--data-dir=${node.dataDir}`,
    `--listen-client-urls=${url(node.ports.client!)}`,
    `--advertise-client-urls=${url(node.ports.client!)}`,
    `--listen-peer-urls=${url(node.ports.peer!)}`,
    `--initial-advertise-peer-urls=${url(node.ports.peer!)}`,
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
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs}ms`)));
    req.on('error', (e) => resolve({ ready: false, detail: `GET ${url(port)}/health → ${e.message}` }));
  });
}

/** The leader as the members see it: the member id most of them report, mapped to its node. */
export async function findEtcdLeader(nodes: NodeSpec[], timeoutMs = 1000): Promise<string | undefined> {
  const answers = await Promise.all(
    nodes.map(async (n) => {
      const stubs = etcdStubs(`127.0.0.1:${n.ports.client}`);
      try {
        const s = await call<{ header: { member_id: string }; leader: string }>(stubs.maintenance, 'Status', {}, timeoutMs);
        return { node: n.name, self: s.header.member_id, leader: s.leader };
      } catch {
        return undefined;
      } finally {
        stubs.close();
      }
    }),
  );
  const seen = answers.filter((a) => a !== undefined && a.leader !== '0');
  const self = seen.find((a) => a!.self === a!.leader);
  return self?.node;
}

/** The etcd service definition; `bin` defaults to ETCD_BIN or `etcd` on PATH. */
export function etcdService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  const bin = findBinary('etcd', 'ETCD_BIN', env);
  return {
    name: 'etcd',
    portNames: ['client', 'peer'],
    unavailable: () => (bin ? undefined : missingBinary('etcd', 'ETCD_BIN', env) + ' — on Debian/Ubuntu: apt-get install etcd-server etcd-client'),
    launch: (node, cluster, context) => ({ command: bin ?? 'etcd', args: etcdArgs(node, cluster, context?.restart) }),
    endpoint: (node) => ({ node: node.name, address: `127.0.0.1:${node.ports.client}` }),
    probe: (node) => probeHealth(node.ports.client!),
    findLeader: (nodes) => findEtcdLeader(nodes),
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
    return Number((await call<{ header: { revision: string } }>(stubs.maintenance, 'Status', {}, 2000)).header.revision);
  } finally {
    stubs.close();
  }
}

function etcdVersion(bin: string): string {
  return /etcd Version: (\S+)/.exec(commandOutput(bin, ['--version']) ?? '')?.[1] ?? 'unknown';
}
