// What etcd.service.json cannot say, as code behind the generic path's named hooks: the ids etcd
// computes from its launch (identity.ts: sha1 of peer URLs and token, so another run's etcd is told
// apart) and Faultline's own watch (watch-client.ts: a bidirectional stream, where configured operations are unary).
import type { ServiceHooks } from '../grpc-service/definition.ts';
import { etcdIdentity } from './identity.ts';
import { startEtcdWatch } from './watch-client.ts';

/** etcd's hooks; everything else about etcd is its configuration file. */
export const etcdHooks: ServiceHooks = {
  identity: etcdIdentity,
  watch: (endpoints, options) => startEtcdWatch(endpoints[0]!, options),
};
