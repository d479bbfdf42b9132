// Template placeholders ({name}, {port.api}, {key} ...): one syntax for launch arguments, env, peers
// and requests, checked against what each template may use before any process starts.
import { FaultlineError } from '../../dsl/errors.ts';

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Node-scoped placeholders: what one node knows about itself. */
export const NODE_PLACEHOLDERS = ['name', 'index', 'host', 'dataDir', 'logFile'] as const;

/** Launch placeholders: the node's own plus cluster-wide ones (and the "byStart" names a service declares). */
export const LAUNCH_PLACEHOLDERS = [...NODE_PLACEHOLDERS, 'token', 'peers', 'otherPeers', 'pd', 'heartbeatMs', 'electionMs'] as const;

/** A dependent server's launch placeholders: its own, and {members} (the members' client addresses). */
export const DEPENDENT_PLACEHOLDERS = [...NODE_PLACEHOLDERS, 'members'] as const;

/** The placeholders used in `template` (without braces), in order. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * The first placeholder of `template` that is neither in `allowed` nor a `port.<name>` (or `advertised.<name>`,
 * the port other nodes reach it at: a peer gate's when the plan names peer links) of `ports`.
 */
export function unknownPlaceholder(template: string, allowed: readonly string[], ports: readonly string[] = []): string | undefined {
  const portOf = (p: string) => /^(?:port|advertised)\.(.+)$/.exec(p)?.[1];
  return placeholdersIn(template).find((p) => !allowed.includes(p) && !ports.includes(portOf(p) ?? ''));
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
  const names = allowed.map((p) => `{${p}}`).join(', ');
  return ports.length ? `${names}, and {port.<name>} or {advertised.<name>} for each port (${ports.join(', ')})` : names;
}

/** Replaces every placeholder with its value; a missing value is a bug upstream (validated earlier). */
export function expand(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new FaultlineError(`No value for the placeholder "${whole}" in "${template}" (a bug: templates are validated before this).`);
    return v;
  });
}
