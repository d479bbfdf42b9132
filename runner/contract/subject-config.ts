// A client under test as configuration says it (a command per operation, or a driver program speaking
// JSON lines), resolved and checked by services/; the runner only runs it. Pure types and templates.

/** The placeholders a client's templates may use, and what each becomes. */
export const CLIENT_PLACEHOLDERS = {
  endpoints: 'every endpoint the client is given, "host:port" joined by ","',
  endpoint: 'the first endpoint, "host:port"',
  key: 'the key of a put, get or delete',
  value: 'the value of a put',
  prefix: 'the prefix of a watch',
  revision: 'the first revision a watch must deliver (the current revision + 1)',
} as const;

/** One placeholder name. */
export type ClientPlaceholder = keyof typeof CLIENT_PLACEHOLDERS;

/** Where a command's answer is: a regex over stdout (named group "value", else group 1) or a dot path into its JSON. */
export type ValueReader = { regex: string; decode?: 'base64' } | { json: string; decode?: 'base64'; absent?: string };

/** One operation of a command client: its argument template and, for a get, where the value is. */
export interface CommandOperation {
  args: string[];
  /** get only. Unset for put/delete. */
  value?: ValueReader;
}

/**
 * How one event line of a watch command reads: `json` is the path of the event list in a line (unset: the
 * line is one event); `key`, `value`, `revision`, `type` are paths within one event; `deleteType` is the
 * value of `type` that means a delete.
 */
export interface WatchLineReader {
  events?: string;
  key: string;
  value?: string;
  revision?: string;
  type?: string;
  deleteType?: string | number;
  decode?: 'base64';
}

/** A CLI run once per operation (a watch: once per watch, until stopped). */
export interface CommandClientConfig {
  kind: 'command';
  command: string;
  env: Record<string, string>;
  /** The whole process's deadline; past it its group is killed and the outcome is indeterminate. */
  timeoutMs: number;
  put?: CommandOperation;
  get?: CommandOperation;
  delete?: CommandOperation;
  watch?: { args: string[]; line: WatchLineReader };
  /** A stderr line the client writes per failed try (named group "error"; optional "attempt", "target"). */
  attemptLine?: string;
  /** stderr text proving a failed write never left the client: the write's outcome is `fail`, not `info`. */
  notSent?: string;
}

/** A long-running program that speaks the driver protocol (docs/client-driver.md) on stdin/stdout. */
export interface DriverClientConfig {
  kind: 'driver';
  command: string[];
  env: Record<string, string>;
  /** How long one request may go unanswered before the driver is killed with its group. */
  timeoutMs: number;
}

/** A claimed backoff: pause i = initialMs × multiplier^i, capped at maxMs, ± jitter; `source` cites where it is said. */
export interface BackoffClaim {
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** The client's own randomisation, 0.1 = ±10 %; a check allows it on top of its tolerance. */
  jitter: number;
  source: string;
}

/** What a client's own documentation or source says it does; never derived from a measurement. */
export interface ClientClaims {
  /**
   * Its retry policy for one operation: `retries` after the first try, pauses `initialMs` × `multiplier`^i
   * capped at `maxMs`; `retries: 0` is the claim "no retry" (the seed's documented gaps).
   */
  retry?: BackoffClaim & { retries: number };
  /** How it reconnects a lost connection (e.g. gRPC's connection backoff): seen at the fault proxies. */
  reconnect?: BackoffClaim;
  /** Whether its watch resumes after a lost stream (from the last revision + 1). */
  watch?: { resumes: boolean; source: string };
}

/** A client under test of one service, by name. */
export type ClientUnderTestConfig = (CommandClientConfig | DriverClientConfig) & {
  name: string;
  service: string;
  claims: ClientClaims;
  /** Why it cannot run here (its program is not installed), shown as the skip reason; unset when it can. */
  unavailable?: string;
};

/** Values for one expansion; unset ones are errors the validator rules out before start. */
export type TemplateValues = Partial<Record<ClientPlaceholder, string>>;

const PLACEHOLDER = /\{([A-Za-z_][\w.]*)\}/g;

/** Fills a template; a placeholder without a value is left as written (the validator refuses those first). */
export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name as ClientPlaceholder] ?? whole);
}

/** A dot path ("kvs.0.value") into parsed JSON; undefined when any step is missing. */
export function atPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A value as the client printed it, decoded when the configuration says so. */
export function decoded(raw: unknown, decode: 'base64' | undefined): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return decode === 'base64' ? Buffer.from(text, 'base64').toString() : text;
}
