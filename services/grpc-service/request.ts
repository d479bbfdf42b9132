// Requests from templates and values from responses, typed by the loaded schema: a string for a
// bytes field is sent as its UTF-8 bytes (protobufjs would otherwise base64-decode it).
import { expand } from './placeholders.ts';
import type { FieldInfo, MessageInfo, ProtoRegistry } from './proto-registry.ts';

/** The request for one call: placeholders expanded, strings in bytes fields turned into bytes. */
export function buildRequest(template: Record<string, unknown>, values: Record<string, string>, type: MessageInfo, registry: ProtoRegistry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(template)) {
    const field = type.fields.find((f) => f.name === name);
    out[name] = convert(raw, field?.type, field?.typeName, type.name, values, registry);
  }
  return out;
}

function convert(raw: unknown, type: string | undefined, typeName: string | undefined, scope: string, values: Record<string, string>, registry: ProtoRegistry): unknown {
  if (Array.isArray(raw)) return raw.map((r) => convert(r, type, typeName, scope, values, registry));
  if (typeof raw === 'string') {
    const s = expand(raw, values);
    return type === 'TYPE_BYTES' ? Buffer.from(s, 'utf8') : s;
  }
  if (raw && typeof raw === 'object' && type === 'TYPE_MESSAGE' && typeName) {
    const nested = registry.message(typeName, scope);
    if (nested) return buildRequest(raw as Record<string, unknown>, values, nested, registry);
  }
  return raw;
}

/** The value at a dot path ("kvs.0.value"); undefined when any step is missing. */
export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const step of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}

/** A read value as the client reports it: bytes and strings as text, numbers as decimal, missing as null. */
export function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Why `path` does not lead through `type` (unknown field, index on a non-repeated field...), or undefined when it does. */
export function pathProblem(path: string, type: MessageInfo, registry: ProtoRegistry): string | undefined {
  let cur: MessageInfo | undefined = type;
  const steps = path.split('.');
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!cur) return `"${steps.slice(0, i).join('.')}" is not a message, so it has no field "${step}"`;
    const field: FieldInfo | undefined = cur.fields.find((f) => f.name === step);
    if (!field) return `"${cur.name}" has no field "${step}" (its fields: ${cur.fields.map((f) => f.name).join(', ') || 'none'})`;
    if (field.label === 'LABEL_REPEATED') {
      const index = steps[i + 1];
      if (index === undefined || !/^\d+$/.test(index)) return `"${step}" is a repeated field: follow it with an index, e.g. "${steps.slice(0, i + 1).join('.')}.0"`;
      i++;
    }
    cur = field.type === 'TYPE_MESSAGE' ? registry.message(field.typeName, cur.name) : undefined;
  }
  return undefined;
}
