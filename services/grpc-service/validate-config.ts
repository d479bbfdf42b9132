// Checks a resolved configuration against its own ports and the loaded .proto schema, so a typo in a
// template, an RPC name or a field path fails before any process starts, naming the field and the fix.
import { didYouMean } from '../../dsl/errors.ts';
import { SERVICE_NAMES } from '../../dsl/services.ts';
import { DEPENDENT_PLACEHOLDERS, describeAllowed, LAUNCH_PLACEHOLDERS, NODE_PLACEHOLDERS, strayBrace, unknownPlaceholder } from './placeholders.ts';
import type { ProtoRegistry, RpcInfo } from './proto-registry.ts';
import { pathProblem } from './request.ts';
import { originOf, ServiceConfigError, type OperationConfig, type ServiceConfig, type ServiceConfigInput } from './service-config.ts';

/** `pd` is a list of "host:port", or { service, nodes } naming another known service. */
function checkPd(config: ServiceConfig, fail: (top: keyof ServiceConfigInput, field: string, rule: string, fix: string) => never): void {
  const pd: unknown = config.pd;
  const fix = `write a list like ["127.0.0.1:2379"], or { "service": "chainfire", "nodes": 1 } to have the runner start a PD first.`;
  if (pd === undefined) return;
  if (Array.isArray(pd)) {
    pd.forEach((e, i) => {
      if (typeof e !== 'string' || !/^[^\s:/]+:\d{1,5}$/.test(e)) fail('pd', `pd[${i}]`, `a PD endpoint is "host:port", got ${JSON.stringify(e)}.`, fix);
    });
    return;
  }
  if (typeof pd !== 'object' || pd === null) return fail('pd', 'pd', `"pd" is a list of endpoints or a PD service, got ${JSON.stringify(pd)}.`, fix);
  const { service, nodes, ...rest } = pd as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) fail('pd', `pd.${extra}`, `"${extra}" is not a field of a PD service (its fields: "service", "nodes").`, fix);
  const others = SERVICE_NAMES.filter((s) => s !== config.name);
  if (typeof service !== 'string' || !others.includes(service as never)) {
    const hint = typeof service === 'string' ? didYouMean(service, others) : undefined;
    fail('pd', 'pd.service', `the PD service must be another known service (${others.join(', ')}), got ${JSON.stringify(service)}.`, hint ? `did you mean "${hint}"?` : fix);
  }
  if (nodes !== undefined && !(Number.isInteger(nodes) && (nodes as number) >= 1 && (nodes as number) <= 9)) fail('pd', 'pd.nodes', `a PD cluster has 1 to 9 nodes, got ${JSON.stringify(nodes)}.`, `write e.g. "nodes": 1 (or 3, as in production).`);
  if (![...config.args, ...Object.values(config.env ?? {})].some((t) => t.includes('{pd}'))) {
    fail('pd', 'pd.service', `"pd" names ${service} as the PD to start, but the launch template ("args", "env") never uses {pd}: the PD would start for nothing.`, `pass it to the binary (e.g. "--pd-endpoints", "{pd}" in "args"), or write "pd": [] if ${config.name} needs no PD.`);
  }
}

/** Throws the first problem of `config` as a ServiceConfigError. */
export function validateConfig(config: ServiceConfig, registry: ProtoRegistry): void {
  const fail = (top: keyof ServiceConfigInput, field: string, rule: string, fix: string): never => {
    throw new ServiceConfigError(originOf(config, top), `${config.name}.${field}`, rule, fix);
  };
  const { ports } = config;
  const checkPort = (top: keyof ServiceConfigInput, field: string, port: string) => {
    if (!ports.includes(port)) fail(top, field, `"${port}" is not one of the service's ports (${ports.map((p) => `"${p}"`).join(', ')}).`, `name one of them, or add "${port}" to "ports".`);
  };
  const checkTemplate = (top: keyof ServiceConfigInput, field: string, template: string, allowed: readonly string[], withPorts = true) => {
    const stray = strayBrace(template);
    if (stray) fail(top, field, stray.rule, stray.fix);
    const bad = unknownPlaceholder(template, allowed, withPorts ? ports : []);
    if (bad === undefined) return;
    const known = [...allowed, ...(withPorts ? ports.map((p) => `port.${p}`) : [])];
    const hint = didYouMean(bad, known);
    fail(top, field, `"{${bad}}" is not a placeholder here (the placeholders are ${describeAllowed(allowed, withPorts ? ports : [])}).`, hint ? `did you mean "{${hint}}"?` : `use one of the placeholders, or write the value literally.`);
  };
  const checkRpc = (top: keyof ServiceConfigInput, field: string, call: string): RpcInfo => {
    const rpc = registry.rpc(call);
    const files = registry.files.map((f) => `"${f}"`).join(', ');
    if (!rpc) {
      const hint = didYouMean(call, registry.rpcNames());
      return fail(top, field, `the RPC "${call}" is not in ${files}.`, hint ? `did you mean "${hint}"? (RPCs are named "package.Service/Method")` : `name a unary RPC as "package.Service/Method" (e.g. ${registry.rpcNames().slice(0, 3).map((n) => `"${n}"`).join(', ')}), or point "proto" at the file that defines it.`);
    }
    if (rpc.definition.requestStream || rpc.definition.responseStream) fail(top, field, `"${call}" is a streaming RPC; Faultline's client makes unary calls.`, `map the operation to a unary RPC.`);
    return rpc;
  };
  const checkFields = (top: keyof ServiceConfigInput, field: string, request: Record<string, unknown>, rpc: RpcInfo) => {
    for (const name of Object.keys(request)) {
      if (!rpc.request.fields.some((f) => f.name === name)) {
        const hint = didYouMean(name, rpc.request.fields.map((f) => f.name));
        fail(top, `${field}.${name}`, `"${rpc.request.name}" (the request of "${rpc.call}") has no field "${name}" (its fields: ${rpc.request.fields.map((f) => f.name).join(', ')}).`, hint ? `did you mean "${hint}"?` : `use the field names of the .proto file, as written there.`);
      }
    }
  };
  const checkRegex = (top: keyof ServiceConfigInput, field: string, pattern: string) => {
    try {
      new RegExp(pattern);
    } catch (e) {
      fail(top, field, `"${pattern}" is not a regular expression (${(e as Error).message}).`, `write a JavaScript regular expression (escape "\\\\" in JSON), e.g. "listening on".`);
    }
  };
  const checkPath = (top: keyof ServiceConfigInput, field: string, path: string, rpc: RpcInfo) => {
    const problem = pathProblem(path, rpc.response, registry);
    if (problem) fail(top, field, `the path "${path}" does not lead through "${rpc.response.name}" (the response of "${rpc.call}"): ${problem}.`, `write a dot path of field names of the response, with an index after a repeated field (e.g. "kvs.0.value").`);
  };

  if (ports.length === 0 || new Set(ports).size !== ports.length) fail('ports', 'ports', `ports must be a non-empty list of distinct names (got ${JSON.stringify(ports)}).`, `list each port a node listens on once, e.g. ["api", "raft", "http"].`);
  checkPort('clientPort', 'clientPort', config.clientPort);
  const byStart = Object.keys(config.byStart ?? {});
  for (const name of byStart) {
    if ((LAUNCH_PLACEHOLDERS as readonly string[]).includes(name) || !/^[A-Za-z]\w*$/.test(name)) fail('byStart', `byStart.${name}`, `"${name}" cannot name a placeholder of its own: it is ${/^[A-Za-z]\w*$/.test(name) ? 'a placeholder Faultline fills' : 'not a plain name (letters, digits, "_")'}.`, `choose another name, e.g. "clusterState".`);
  }
  const launch = [...LAUNCH_PLACEHOLDERS, ...byStart];
  config.args.forEach((a, i) => checkTemplate('args', `args[${i}]`, a, launch));
  for (const [k, v] of Object.entries(config.env ?? {})) checkTemplate('env', `env.${k}`, v, launch);
  for (const t of ['heartbeatMs', 'electionMs'] as const) {
    if (!config.timing && [...config.args, ...Object.values(config.env ?? {})].some((a) => a.includes(`{${t}}`))) fail('args', 'timing', `the launch template uses {${t}}, but "timing" gives no value for a cluster.start() that sets none.`, `add "timing": { "heartbeatMs": 100, "electionMs": 1000 } (the service's own defaults).`);
  }
  if (config.peer !== undefined) checkTemplate('peer', 'peer', config.peer, NODE_PLACEHOLDERS);
  else if (config.args.some((a) => a.includes('{peers}') || a.includes('{otherPeers}'))) checkPort('args', 'peer (default "{name}={host}:{port.raft}")', 'raft');

  checkPd(config, fail);

  const r = config.readiness;
  if ('http' in r) checkPort('readiness', 'readiness.http.port', r.http.port);
  else if ('grpc' in r) checkRpc('readiness', 'readiness.grpc.call', r.grpc.call);
  else checkRegex('readiness', 'readiness.log', r.log);
  if ('http' in r && r.http.body !== undefined) checkRegex('readiness', 'readiness.http.body', r.http.body);

  if (config.leader) {
    const rpc = checkRpc('leader', 'leader.call', config.leader.call);
    const { isLeader, self, leader } = config.leader;
    if (isLeader === undefined && (self === undefined || leader === undefined)) fail('leader', 'leader', `leader discovery needs "isLeader", or both "self" and "leader".`, `name the response field that says "this node leads" ("isLeader"), or the fields holding the node's own id and the leader's id ("self", "leader"); or set "leader": null.`);
    for (const [k, p] of Object.entries({ isLeader, self, leader })) if (p !== undefined) checkPath('leader', `leader.${k}`, p, rpc);
  }

  if (config.identity) {
    const rpc = checkRpc('identity', 'identity.call', config.identity.call);
    if (config.identity.cluster === undefined && config.identity.member === undefined) fail('identity', 'identity', '"identity" names neither "cluster" nor "member": no answer could be checked.', 'name the response fields holding the ids, e.g. "cluster": "header.cluster_id", "member": "header.member_id".');
    for (const k of ['cluster', 'member'] as const) if (config.identity[k] !== undefined) checkPath('identity', `identity.${k}`, config.identity[k]!, rpc);
  }
  if (config.revision) checkPath('revision', 'revision.value', config.revision.value, checkRpc('revision', 'revision.call', config.revision.call));
  for (const [kind, d] of Object.entries(config.dependents ?? {})) {
    const at = `dependents.${kind}`;
    if (!d.ports.includes(d.clientPort)) fail('dependents', `${at}.clientPort`, `"${d.clientPort}" is not one of its ports (${d.ports.map((p) => `"${p}"`).join(', ')}).`, `name one of them, or add "${d.clientPort}" to "${at}.ports".`);
    const checkOwn = (field: string, template: string) => {
      const bad = unknownPlaceholder(template, DEPENDENT_PLACEHOLDERS, d.ports);
      if (bad !== undefined) fail('dependents', field, `"{${bad}}" is not a placeholder here (the placeholders are ${describeAllowed(DEPENDENT_PLACEHOLDERS, d.ports)}).`, `use one of the placeholders, or write the value literally.`);
    };
    d.args.forEach((a, i) => checkOwn(`${at}.args[${i}]`, a));
    for (const [k, v] of Object.entries(d.env ?? {})) checkOwn(`${at}.env.${k}`, v);
    if ('http' in d.readiness && !d.ports.includes(d.readiness.http.port)) fail('dependents', `${at}.readiness.http.port`, `"${d.readiness.http.port}" is not one of its ports.`, `name one of ${d.ports.map((p) => `"${p}"`).join(', ')}.`);
    if ('grpc' in d.readiness) checkRpc('dependents', `${at}.readiness.grpc.call`, d.readiness.grpc.call);
    if ('log' in d.readiness) checkRegex('dependents', `${at}.readiness.log`, d.readiness.log);
  }
  if (config.logs) {
    const { timestamp, standIn, ...lines } = config.logs;
    if (!['iso8601', 'unix-seconds', 'unix-millis'].includes(timestamp.format)) fail('logs', 'logs.timestamp.format', `"${timestamp.format}" is not a timestamp format.`, `write "iso8601", "unix-seconds" or "unix-millis".`);
    checkRegex('logs', 'logs.timestamp.pattern', timestamp.pattern);
    for (const [k, v] of Object.entries(lines)) if (v !== undefined) checkRegex('logs', `logs.${k}`, v);
  }
  if (config.version) checkRegex('version', 'version.pattern', config.version.pattern);

  for (const [op, mapping] of Object.entries(config.operations) as [string, OperationConfig | undefined][]) {
    if (!mapping) continue;
    const rpc = checkRpc('operations', `operations.${op}.call`, mapping.call);
    checkFields('operations', `operations.${op}.request`, mapping.request, rpc);
    const allowed = op === 'put' ? ['key', 'value'] : ['key'];
    for (const [k, v] of Object.entries(mapping.request)) if (typeof v === 'string') checkTemplate('operations', `operations.${op}.request.${k}`, v, allowed, false);
    if (op === 'get') {
      if (mapping.value === undefined) fail('operations', 'operations.get.value', `a get needs the path of the value in the response.`, `set "value", e.g. "kvs.0.value" or "value".`);
      checkPath('operations', 'operations.get.value', mapping.value!, rpc);
      if (mapping.found !== undefined) checkPath('operations', 'operations.get.found', mapping.found, rpc);
    }
  }
}
