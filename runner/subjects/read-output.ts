// Reads what a command client printed: a get's value (regex or JSON path) and a watch's event lines,
// as its configuration says. Pure; a reader that matches nothing says which path and why.
import type { WatchEvent } from '../watch/watch-record.ts';
import { atPath, decoded, type ValueReader, type WatchLineReader } from '../contract/subject-config.ts';

/** The value a get printed (null: absent), or the rule the output broke (a string). */
export function readValue(stdout: string, reader: ValueReader): string | null | { problem: string; fix: string } {
  if ('regex' in reader) {
    const m = new RegExp(reader.regex, 'm').exec(stdout);
    if (!m) return null;
    const raw = m.groups?.value ?? m[1] ?? m[0];
    return decoded(raw, reader.decode);
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { problem: `its get printed no JSON (stdout: ${JSON.stringify(stdout.slice(0, 200))}), but "get.value.json" reads JSON`, fix: 'make the command print JSON (e.g. etcdctl -w json), or read the value with "regex".' };
  }
  const raw = atPath(json, reader.json);
  if (raw !== undefined && raw !== null) return decoded(raw, reader.decode);
  // protobuf's JSON leaves out empty fields: an existing object without the last field holds "".
  const parent = reader.json.includes('.') ? atPath(json, reader.json.slice(0, reader.json.lastIndexOf('.'))) : json;
  if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && (reader.absent === undefined || atPath(json, reader.absent) !== undefined)) return '';
  if (reader.absent !== undefined && atPath(json, reader.absent) === undefined) return null;
  const top = json !== null && typeof json === 'object' ? Object.keys(json).join(', ') : typeof json;
  return {
    problem: `the JSON path "${reader.json}" matched nothing in its get's output (top-level fields: ${top})${reader.absent === undefined ? '' : `, and "${reader.absent}" is there, so the key is not absent either`}`,
    fix: `correct "get.value.json" to the path of the value${reader.absent === undefined ? ', and name with "get.value.absent" the path that is missing exactly when the key is absent (e.g. "kvs")' : ''}.`,
  };
}

/** The events of one watch output line, or the rule it broke (a string). */
export function readWatchLine(line: string, reader: WatchLineReader): Omit<WatchEvent, 't'>[] | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return 'is not JSON';
  }
  const list = reader.events === undefined ? [json] : atPath(json, reader.events);
  if (list === undefined) return [];
  if (!Array.isArray(list)) return `has "${reader.events}", but it is not a list`;
  const events: Omit<WatchEvent, 't'>[] = [];
  for (const e of list) {
    const key = atPath(e, reader.key);
    if (key === undefined) return `has an event without "${reader.key}"`;
    const type = reader.type === undefined ? undefined : atPath(e, reader.type);
    const deleted = reader.deleteType !== undefined && type === reader.deleteType;
    const value = reader.value === undefined ? undefined : atPath(e, reader.value);
    const revision = reader.revision === undefined ? undefined : atPath(e, reader.revision);
    events.push({ type: deleted ? 'delete' : 'put', key: decoded(key, reader.decode), ...(deleted ? {} : { value: value === undefined ? '' : decoded(value, reader.decode) }), revision: Number(revision ?? 0) });
  }
  return events;
}
