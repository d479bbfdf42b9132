// etcd's KV over gRPC, one attempt at a time; a failed channel is dropped so the next attempt reconnects.
import { AttemptError, type Endpoint, type KvOperation, type NodeIdentity, type ServiceClient } from '../../runner/contract/service.ts';
import { classifyGrpcError } from '../grpc-attempt.ts';
import { call, etcdStubs, type EtcdStubs } from './grpc.ts';
import { checkAnswerer, type EtcdHeader } from './identity.ts';

/** A recording-friendly etcd client: the runner calls `attempt` per try and records it. */
export class EtcdClient implements ServiceClient {
  private readonly stubs = new Map<string, EtcdStubs>();

  /** Every answer's header must name the endpoint's cluster and member: another cluster's OK is a ForeignNodeError. */
  async attempt(op: KvOperation, endpoint: Endpoint, timeoutMs: number, answeredBy?: (who: NodeIdentity) => void): Promise<string | null | undefined> {
    const stubs = this.stubsFor(endpoint.address);
    const key = Buffer.from(op.key);
    let res: { header?: EtcdHeader; kvs?: { value: Buffer }[] };
    try {
      if (op.op === 'put') res = await call(stubs.kv, 'Put', { key, value: Buffer.from(op.value ?? '') }, timeoutMs);
      else if (op.op === 'delete') res = await call(stubs.kv, 'DeleteRange', { key }, timeoutMs);
      else res = await call(stubs.kv, 'Range', { key }, timeoutMs);
    } catch (e) {
      const failure = classifyGrpcError(e);
      if (failure.dropChannel) this.drop(endpoint.address);
      throw new AttemptError(failure.status, failure.details, failure.sent);
    }
    const who = checkAnswerer(endpoint, res.header);
    if (who) answeredBy?.(who);
    if (op.op !== 'get') return undefined;
    return res.kvs?.length ? res.kvs[0]!.value.toString() : null;
  }

  close(): void {
    for (const address of [...this.stubs.keys()]) this.drop(address);
  }

  private stubsFor(address: string): EtcdStubs {
    let s = this.stubs.get(address);
    if (!s) this.stubs.set(address, (s = etcdStubs(address)));
    return s;
  }

  private drop(address: string): void {
    this.stubs.get(address)?.close();
    this.stubs.delete(address);
  }
}
