// The configured client: put/get/delete become the RPCs of the service's mapping, one attempt at a
// time, with the etcd client's semantics (drop the channel on UNAVAILABLE/DEADLINE_EXCEEDED;
// `sent: 'no'` only for a refused connection).
import * as grpc from '@grpc/grpc-js';
import { AttemptError, type Endpoint, type KvOperation, type NodeIdentity, type ServiceClient } from '../../runner/contract/service.ts';
import { checkAnswerer, readIdentity } from './identity.ts';
import { CHANNEL_OPTIONS, classifyGrpcError, type GrpcFailure } from '../grpc-attempt.ts';
import type { ProtoRegistry, RpcInfo } from './proto-registry.ts';
import { asText, buildRequest, readPath } from './request.ts';
import type { IdentityConfig, OperationsConfig } from './service-config.ts';

/** A client of one configured service; channels are per address and shared by all its RPCs. */
export class GrpcServiceClient implements ServiceClient {
  private readonly channels = new Map<string, grpc.Client>();

  constructor(
    private readonly service: string,
    private readonly registry: ProtoRegistry,
    private readonly operations: OperationsConfig,
    /** Where answers state who sent them: each is checked against the endpoint's expected ids. */
    private readonly identity?: Pick<IdentityConfig, 'cluster' | 'member'>,
  ) {}

  async attempt(op: KvOperation, endpoint: Endpoint, timeoutMs: number, answeredBy?: (who: NodeIdentity) => void): Promise<string | null | undefined> {
    const mapping = this.operations[op.op];
    if (!mapping) {
      throw new AttemptError('UNIMPLEMENTED', `"${this.service}" has no "${op.op}" operation configured; add "operations.${op.op}" for "${this.service}" in faultline.services.json (see docs/services.md).`, 'no');
    }
    const rpc = this.registry.rpc(mapping.call)!;
    const request = buildRequest(mapping.request, { key: op.key, value: op.value ?? '' }, rpc.request, this.registry);
    const response = await this.call(rpc, request, endpoint.address, timeoutMs);
    if (this.identity) {
      // Another process's OK is no success: a ForeignNodeError, whatever the operation.
      const who = checkAnswerer(endpoint, readIdentity(response, this.identity));
      if (who) answeredBy?.(who);
    }
    if (op.op !== 'get') return undefined;
    if (mapping.found !== undefined && !readPath(response, mapping.found)) return null;
    return asText(readPath(response, mapping.value!));
  }

  /** One unary call to `address`; a failure becomes an AttemptError that names the RPC and what it means. */
  async call(rpc: RpcInfo, request: object, address: string, timeoutMs: number): Promise<unknown> {
    const client = this.channelFor(address);
    const d = rpc.definition;
    try {
      return await new Promise((resolve, reject) => {
        client.makeUnaryRequest(d.path, d.requestSerialize, d.responseDeserialize, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
      });
    } catch (e) {
      const failure = classifyGrpcError(e);
      if (failure.dropChannel) this.drop(address);
      throw new AttemptError(failure.status, describeFailure(rpc.call, address, timeoutMs, failure), failure.sent);
    }
  }

  close(): void {
    for (const address of [...this.channels.keys()]) this.drop(address);
  }

  private channelFor(address: string): grpc.Client {
    let c = this.channels.get(address);
    if (!c) this.channels.set(address, (c = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS)));
    return c;
  }

  private drop(address: string): void {
    this.channels.get(address)?.close();
    this.channels.delete(address);
  }
}

/** What a failed call means, in words: refused (not sent), no answer in time (maybe applied), schema mismatch... */
export function describeFailure(call: string, address: string, timeoutMs: number, f: GrpcFailure): string {
  const what = `"${call}" at ${address}`;
  if (f.status === 'UNAVAILABLE' && f.sent === 'no') return `${what}: connection refused, the request was not sent (${f.details})`;
  if (f.status === 'UNAVAILABLE') return `${what}: unavailable, the request may have reached the server (${f.details})`;
  if (f.status === 'DEADLINE_EXCEEDED') return `${what}: no answer within ${timeoutMs}ms, the request may have been applied (${f.details})`;
  if (f.status === 'UNIMPLEMENTED') return `${what}: the server does not implement this RPC (${f.details}); the configured .proto or operation mapping does not match the binary — fix "proto" or "operations" in faultline.services.json`;
  return `${what}: ${f.status} (${f.details})`;
}
