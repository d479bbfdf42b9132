// The JSON shape of one service entry in faultline.services.json: unknown fields and wrong types are
// reported with the field's full name before anything is merged, loaded or started.
import { didYouMean } from '../../dsl/errors.ts';
import { SERVICE_FIELDS } from './service-config.ts';

/** Reports one problem: the field (e.g. "chainfire.ports[1]"), the rule broken, and the fix. */
export type Fail = (field: string, rule: string, fix: string) => never;

type Check = (value: unknown, field: string, fail: Fail) => void;

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);

const str: Check = (v, field, fail) => {
  if (typeof v !== 'string') fail(field, `must be a string, got ${kind(v)}.`, `write it as a JSON string.`);
};
const num: Check = (v, field, fail) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(field, `must be an integer, got ${kind(v)}.`, `write it as a JSON number, e.g. 200.`);
};
const strings: Check = (v, field, fail) => {
  if (!Array.isArray(v)) fail(field, `must be a list of strings, got ${kind(v)}.`, `write it as a JSON list, e.g. ["a", "b"].`);
  (v as unknown[]).forEach((s, i) => str(s, `${field}[${i}]`, fail));
};
const stringOrStrings: Check = (v, field, fail) => (typeof v === 'string' ? undefined : strings(v, field, fail));
const object: Check = (v, field, fail) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(field, `must be an object, got ${kind(v)}.`, `write it as a JSON object: { ... }.`);
};
const stringMap: Check = (v, field, fail) => {
  object(v, field, fail);
  for (const [k, s] of Object.entries(v as object)) str(s, `${field}.${k}`, fail);
};

/** An object with these fields (required ones marked with a leading "!"). */
function shape(fields: Record<string, Check>): Check {
  return (v, field, fail) => {
    object(v, field, fail);
    const names = Object.keys(fields).map((f) => f.replace(/^!/, ''));
    for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
      const check = fields[k] ?? fields[`!${k}`];
      if (!check) unknownField(`${field}.${k}`, k, names, fail);
      else check(value, `${field}.${k}`, fail);
    }
    for (const required of Object.keys(fields).filter((f) => f.startsWith('!')).map((f) => f.slice(1))) {
      if (!(required in (v as object))) fail(`${field}.${required}`, `is required.`, `add "${required}" to ${field}.`);
    }
  };
}

function unknownField(field: string, name: string, known: string[], fail: Fail): never {
  const hint = didYouMean(name, known);
  return fail(field, `"${name}" is not a known field (known: ${known.map((k) => `"${k}"`).join(', ')}).`, hint ? `did you mean "${hint}"?` : `remove it, or see docs/services.md for the fields.`);
}

const operation = shape({ '!call': str, '!request': object, value: str, found: str });

const readiness: Check = (v, field, fail) => {
  object(v, field, fail);
  const keys = Object.keys(v as object);
  if (keys.length !== 1 || !['http', 'grpc', 'log'].includes(keys[0]!)) {
    fail(field, `must have exactly one of "http", "grpc" or "log" (got ${keys.map((k) => `"${k}"`).join(', ') || 'none'}).`, `write e.g. { "http": { "port": "http", "path": "/health" } }, { "grpc": { "call": "pkg.Service/Method" } } or { "log": "regex" }.`);
  }
  shape({ http: shape({ '!port': str, '!path': str, status: num, body: str }), grpc: shape({ '!call': str, request: object }), log: str })(v, field, fail);
};

const bool: Check = (v, field, fail) => {
  if (typeof v !== 'boolean') fail(field, `must be true or false, got ${kind(v)}.`, `write true or false.`);
};
const number: Check = (v, field, fail) => {
  if (typeof v !== 'number') fail(field, `must be a number, got ${kind(v)}.`, `write it as a JSON number, e.g. 1.6.`);
};
/** An object whose every value has the same shape (e.g. "dependents": { "<kind>": { ... } }). */
const mapOf = (value: Check): Check => (v, field, fail) => {
  object(v, field, fail);
  for (const [k, x] of Object.entries(v as object)) value(x, `${field}.${k}`, fail);
};
const retries: Check = (v, field, fail) => (v === 'unbounded' ? undefined : num(v, field, fail));
const serverClaim = shape({ '!what': str, '!source': str, '!initial': str, '!multiplier': number, '!max': str, '!retries': retries, jitter: number, atMostEvery: bool, series: strings });
const call = shape({ '!call': str, request: object, cluster: str, member: str });

const leader: Check = (v, field, fail) => (v === null ? undefined : shape({ '!call': str, request: object, isLeader: str, self: str, leader: str })(v, field, fail));

const FIELDS: Record<(typeof SERVICE_FIELDS)[number], Check> = {
  binary: str,
  proto: stringOrStrings,
  protoIncludes: strings,
  ports: strings,
  clientPort: str,
  args: strings,
  env: stringMap,
  peer: str,
  // A list of "host:port", or the PD service the runner starts first: { "service": "chainfire", "nodes": 1 }.
  pd: (v, field, fail) => (Array.isArray(v) ? strings(v, field, fail) : shape({ '!service': str, nodes: num })(v, field, fail)),
  readiness,
  leader,
  operations: shape({ put: operation, get: operation, delete: operation }),
  // Checked in full by services/clients/validate-clients.ts once merged.
  clients: object,
  install: str,
  byStart: mapOf(shape({ '!first': str, '!restart': str })),
  timing: shape({ '!heartbeatMs': num, '!electionMs': num }),
  identity: call,
  revision: shape({ '!call': str, request: object, '!value': str }),
  logs: shape({ '!timestamp': shape({ '!pattern': str, '!format': str }), retry: str, leader: str, follower: str, standIn: str }),
  claims: shape({ peer: serverClaim }),
  dependents: mapOf(shape({ binary: str, '!ports': strings, '!clientPort': str, '!args': strings, env: stringMap, '!readiness': readiness, claims: shape({ reconnect: serverClaim }) })),
  version: shape({ '!args': strings, '!pattern': str }),
};

/** Checks one service entry as the user wrote it (every field optional: the defaults fill the rest). */
export function checkEntryShape(service: string, entry: unknown, fail: Fail): void {
  object(entry, service, fail);
  for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
    const check = FIELDS[k as keyof typeof FIELDS];
    if (!check) unknownField(`${service}.${k}`, k, [...SERVICE_FIELDS], fail);
    check(v, `${service}.${k}`, fail);
  }
}
