// Real clients under test (not written here), one import for service definitions and tests.
export {
  etcdctlClient,
  parseRetryLine,
  grpcStatusOf,
  classifyEtcdctlExit,
  parseGetJson,
  etcdctlArgs,
  ETCDCTL_RETRY_PATTERN,
  type EtcdctlClientOptions,
  type EtcdctlExit,
  type RetryLogLine,
} from './etcdctl-client.ts';
export { etcd3Client, classifyEtcd3Error, etcd3Outcome, type Etcd3ClientOptions, type Etcd3Failure } from './etcd3-client.ts';
