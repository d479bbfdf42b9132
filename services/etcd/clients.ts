// etcd's clients under test, in the configuration format every service uses (docs/services.md,
// "clients"): etcdctl as a command client, the etcd3 library through its driver. Each claim cites the
// client's own source; none is taken from a measurement.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientUnderTestConfig } from '../../runner/subjects/subject-config.ts';
import { resolveClients } from '../clients/validate-clients.ts';
import { ServiceConfigError } from '../grpc-service/service-config.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** grpc-go's and grpc-js's connection backoff: the same documented defaults in both. */
const GRPC_RECONNECT = { initial: '1s', multiplier: 1.6, max: '120s', jitter: 0.2 };

/** The shipped "clients" of etcd, as a faultline.services.json entry would write them. */
export function etcdClientsInput(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const endpoints = '--endpoints={endpoints}';
  return {
    etcdctl: {
      command: {
        binary: env.ETCDCTL_BIN || 'etcdctl',
        env: { ETCDCTL_API: '3' },
        // etcdctl's own --command-timeout (5 s) and --dial-timeout (2 s), plus room: it should never be needed.
        timeout: '10s',
        put: { args: [endpoints, 'put', '--', '{key}', '{value}'] },
        get: { args: [endpoints, 'get', '-w', 'json', '--', '{key}'], value: { json: 'kvs.0.value', decode: 'base64', absent: 'kvs' } },
        delete: { args: [endpoints, 'del', '--', '{key}'] },
        watch: { args: [endpoints, 'watch', '--prefix', '{prefix}', '-w', 'json', '--rev={revision}'], line: { events: 'Events', key: 'kv.key', value: 'kv.value', revision: 'kv.mod_revision', type: 'type', deleteType: 1, decode: 'base64' } },
        // clientv3's retry interceptor logs each failed invocation as one zap JSON line.
        attemptLine: '"msg":"retrying of unary invoker failed".*?"target":"(?<target>(?:[^"\\\\]|\\\\.)*)".*?"attempt":(?<attempt>\\d+).*?"error":"(?<error>(?:[^"\\\\]|\\\\.)*)"',
        // grpc-go reports these only while it has no ready connection: the request never left.
        notSent: 'latest balancer error|all SubConns are in TransientFailure|there is no (address|connection) available|connection refused',
      },
      claims: {
        retry: { retries: 100, initial: '25ms', multiplier: 1, max: '25ms', jitter: 0.1, source: 'etcd v3.4 clientv3/options.go: defaultUnaryMaxRetries = 100, defaultBackoffWaitBetween = 25 * time.Millisecond, defaultBackoffJitterFraction = 0.10 (retried only where the server did not process the request)' },
        reconnect: { ...GRPC_RECONNECT, source: 'grpc-go backoff.DefaultConfig, which clientv3 dials with: BaseDelay 1.0 s, Multiplier 1.6, Jitter 0.2, MaxDelay 120 s' },
        watch: { resumes: true, source: 'etcd v3.4 clientv3/watch.go: a broken watch stream is reopened (newWatchClient) and each watcher resumed from its last revision + 1' },
      },
    },
    etcd3: {
      driver: { command: ['node', './etcd3-driver.mjs'], timeout: '30s' },
      claims: {
        retry: { retries: 3, initial: '0ms', multiplier: 1, max: '0ms', source: 'etcd3 1.1.2 lib/options.d.ts (faultHandling.global): retry(handleWhen(isRecoverableError), { maxAttempts: 3 }), no backoff, a new host each try; per host a circuit breaker (3 failures, 5 s)' },
        reconnect: { ...GRPC_RECONNECT, source: '@grpc/grpc-js src/backoff-timeout.ts: INITIAL_BACKOFF_MS 1000, BACKOFF_MULTIPLIER 1.6, MAX_BACKOFF_MS 120000, BACKOFF_JITTER 0.2' },
        watch: { resumes: true, source: 'etcd3 1.1.2 lib/watch.ts (WatchManager): reconnects with exponential backoff (128 ms ×2, at most 30 s) and resumes from the last revision + 1' },
      },
    },
  };
}

/** etcd's clients under test, checked like a configured service's. */
export function etcdClients(env: NodeJS.ProcessEnv): Record<string, ClientUnderTestConfig> {
  return resolveClients(etcdClientsInput(env), { service: 'etcd', baseDir: HERE, env }, (field, rule, fix) => {
    throw new ServiceConfigError('the shipped definition of "etcd" (services/etcd/clients.ts)', `etcd.${field}`, rule, fix);
  });
}
