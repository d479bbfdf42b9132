// etcd's KV over gRPC, one attempt at a time; a failed channel is dropped so the next attempt reconnects.
import { AttemptError, type Endpoint, type KvOperation, type ServiceClient } from '../../runner/service.ts';
import { classifyGrpcError } from '../grpc-attempt.ts';
import { call, etcdStubs, type EtcdStubs } from './grpc.ts';

/** A recording-friendly etcd client: the runner calls `attempt` per try and records it. */
export class EtcdClient implements ServiceClient {
  private readonly stubs = new Map<string, EtcdStubs>();

  async attempt(op: KvOperation, endpoint: Endpoint, timeoutMs: number): Promise<string | null | undefined> {
    const stubs = this.stubsFor(endpoint.address);
    const key = Buffer.from(op.key);
    try {
      if (op.op === 'put') {
        await call(stubs.kv, 'Put', { key, value: Buffer.from(op.value ?? '') }, timeoutMs);
        return undefined;
      }
      if (op.op === 'delete') {
        await call(stubs.kv, 'DeleteRange', { key }, timeoutMs);
        return undefined;
      }
      const res = await call<{ kvs: { value: Buffer }[] }>(stubs.kv, 'Range', { key }, timeoutMs);
      return res.kvs.length ? res.kvs[0]!.value.toString() : null;
    } catch (e) {
      const failure = classifyGrpcError(e);
      if (failure.dropChannel) this.drop(endpoint.address);
      throw new AttemptError(failure.status, failure.details, failure.sent);
    }
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
