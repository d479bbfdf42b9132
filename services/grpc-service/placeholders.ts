// Template placeholders ({name}, {port.api}, {key} ...): one syntax for launch arguments, env, peers
// and requests, checked against what each template may use before any process starts.

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Node-scoped placeholders: what one node knows about itself. */
export const NODE_PLACEHOLDERS = ['name', 'index', 'host', 'dataDir', 'logFile'] as const;

/** Launch placeholders: the node's own plus cluster-wide ones. */
export const LAUNCH_PLACEHOLDERS = [...NODE_PLACEHOLDERS, 'token', 'peers', 'otherPeers', 'pd'] as const;

/** The placeholders used in `template` (without braces), in order. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The first placeholder of `template` that is neither in `allowed` nor a `port.<name>` of `ports`. */
export function unknownPlaceholder(template: string, allowed: readonly string[], ports: readonly string[] = []): string | undefined {
  return placeholdersIn(template).find((p) => !allowed.includes(p) && !(p.startsWith('port.') && ports.includes(p.slice(5))));
}

/** What a template may use, worded for an error message. */
export function describeAllowed(allowed: readonly string[], ports: readonly string[] = []): string {
  return [...allowed, ...ports.map((p) => `port.${p}`)].map((p) => `{${p}}`).join(', ');
}

/** Replaces every placeholder with its value; a missing value is a bug upstream (validated earlier). */
export function expand(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`No value for the placeholder "${whole}" in "${template}".`);
    return v;
  });
}
