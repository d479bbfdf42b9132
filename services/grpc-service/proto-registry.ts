// The configured .proto files, loaded at run time with @grpc/proto-loader: RPCs by "package.Service/Method"
// and message types by name, so mappings can be checked against the real schema before any process starts.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import { originOf, ServiceConfigError, type ServiceConfig } from './service-config.ts';

type MessageType = protoLoader.MessageTypeDefinition<object, object>;

/** Decoding choices: proto field names as written, 64-bit ints as strings, defaults filled in. */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** A field of a message type as proto-loader describes it. */
export interface FieldInfo {
  name: string;
  type: string;
  typeName: string;
  label: string;
}

/** A message type: its full name and fields. */
export interface MessageInfo {
  name: string;
  fields: FieldInfo[];
}

/** An RPC as grpc-js needs it to make a call, with its message types for building requests. */
export interface RpcInfo {
  call: string;
  definition: grpc.MethodDefinition<object, object>;
  request: MessageInfo;
  response: MessageInfo;
}

/** The loaded schema of one service. */
export interface ProtoRegistry {
  files: string[];
  /** The RPC named "package.Service/Method"; undefined when the schema has none. */
  rpc(call: string): RpcInfo | undefined;
  /** A message type by full name, or by a field's type name resolved from the message `scope` outwards (protobuf's rule). */
  message(name: string, scope?: string): MessageInfo | undefined;
  /** Every unary RPC name, for "did you mean" hints. */
  rpcNames(): string[];
}

/** Loads the service's .proto files; a file that does not parse is a configuration error. */
export function loadProtoRegistry(config: ServiceConfig): ProtoRegistry {
  const includeDirs = [...new Set([...(config.protoIncludes ?? []), ...config.proto.map((f) => path.dirname(f))])];
  let pkg: protoLoader.PackageDefinition;
  try {
    pkg = protoLoader.loadSync(config.proto, { ...LOADER_OPTIONS, includeDirs });
  } catch (e) {
    throw new ServiceConfigError(
      originOf(config, 'proto'),
      `${config.name}.proto`,
      `the .proto files ${config.proto.map((f) => `"${f}"`).join(', ')} do not load: ${(e as Error).message}.`,
      `fix the .proto file, or add the directories its imports live in to "protoIncludes".`,
    );
  }
  const exact = (full: string): MessageInfo | undefined => {
    const t = pkg[full] as MessageType | undefined;
    if (!t || !('type' in t) || t.format !== 'Protocol Buffer 3 DescriptorProto') return undefined;
    const fields = ((t.type as { field?: FieldInfo[] }).field ?? []).map((f) => ({ name: f.name, type: f.type, typeName: f.typeName, label: f.label }));
    return { name: full, fields };
  };
  const message = (name: string, scope?: string): MessageInfo | undefined => {
    if (name.startsWith('.') || !scope) return exact(name.replace(/^\./, ''));
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i--) {
      const found = exact([...parts.slice(0, i), name].join('.'));
      if (found) return found;
    }
    return undefined;
  };
  const rpcs = new Map<string, RpcInfo | undefined>();
  const rpc = (call: string): RpcInfo | undefined => {
    if (!rpcs.has(call)) rpcs.set(call, findRpc(call));
    return rpcs.get(call);
  };
  const findRpc = (call: string): RpcInfo | undefined => {
    const slash = call.lastIndexOf('/');
    const service = pkg[call.slice(0, slash)] as protoLoader.ServiceDefinition | undefined;
    const def = slash > 0 && service && !('format' in service) ? service[call.slice(slash + 1)] : undefined;
    if (!def) return undefined;
    // proto-loader gives the method's types by short name only: find the package entry with the same descriptor.
    const fullName = (t: MessageType) => {
      const short = (t.type as { name: string }).name;
      const same = JSON.stringify(t.type);
      return Object.keys(pkg).find((k) => (k === short || k.endsWith(`.${short}`)) && JSON.stringify((pkg[k] as MessageType).type) === same) ?? short;
    };
    return {
      call,
      definition: def as unknown as grpc.MethodDefinition<object, object>,
      request: message(fullName(def.requestType))!,
      response: message(fullName(def.responseType))!,
    };
  };
  const rpcNames = () =>
    Object.entries(pkg).flatMap(([name, d]) => ('format' in d ? [] : Object.entries(d as protoLoader.ServiceDefinition).filter(([, m]) => !m.requestStream && !m.responseStream).map(([m]) => `${name}/${m}`)));
  return { files: config.proto, rpc, message, rpcNames };
}
