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

/**
 * A brace that opens or closes no placeholder ("{dataDir", "{{peers}}", "}"), worded as the rule and the
 * fix, or undefined. Such a brace would reach the binary literally, so it is refused like an unknown name.
 */
export function strayBrace(template: string): { rule: string; fix: string } | undefined {
  const rest = template.replace(PLACEHOLDER, (whole) => ' '.repeat(whole.length));
  const at = rest.search(/[{}]/);
  if (at < 0) return undefined;
  const rule = `"${template}" has a "${rest[at]}" at character ${at + 1} that ${rest[at] === '{' ? 'opens' : 'closes'} no placeholder (a placeholder is one name in single braces, e.g. "{dataDir}"; a literal brace cannot be passed).`;
  const doubled = /\{\{([^{}]*)\}\}/.exec(template);
  if (doubled) return { rule, fix: `write "{${doubled[1]}}" with single braces.` };
  const unclosed = /\{([A-Za-z][\w.]*)(?![\w.}])/.exec(template);
  if (unclosed) return { rule, fix: `close it: "{${unclosed[1]}}".` };
  return { rule, fix: `remove the stray brace, or write the placeholder as "{name}".` };
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
