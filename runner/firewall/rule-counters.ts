// The kernel's own packet counters of the run's rules, found by the comment each rule carries: how many
// packets a fault's rule really matched (e.g. how many a loss really dropped), not what it was asked to do.

/** Packets and bytes one rule matched since it was added. */
export interface RuleCounter {
  packets: number;
  bytes: number;
}

/** The comment that names rule `index` of the rules added under `key` (letters, digits and `:._-` only, as iptables keeps it). */
export function ruleTag(key: string, index: number): string {
  return `faultline:${key.replace(/[^\w:.-]/g, '_')}:${index}`;
}

/** A rule with its tag: the comment match goes before the target, so `iptables -S` prints it in the rule. */
export function taggedRule(rule: readonly string[], tag: string): string[] {
  const target = rule.indexOf('-j');
  const comment = ['-m', 'comment', '--comment', tag];
  return target < 0 ? [...rule, ...comment] : [...rule.slice(0, target), ...comment, ...rule.slice(target)];
}

/**
 * The counters of the rules tagged `tags`, in that order, from `iptables -v -S <chain>` (which prints `-c <packets> <bytes>`).
 * A tag whose rule is not in the listing has no counter (undefined).
 */
export function countersIn(listing: string, tags: readonly string[]): (RuleCounter | undefined)[] {
  const lines = listing.split('\n');
  return tags.map((tag) => {
    const line = lines.find((l) => l.includes(`--comment "${tag}"`) || l.split(' ').includes(tag));
    const c = line ? / -c (\d+) (\d+)/.exec(line) : null;
    return c ? { packets: Number(c[1]), bytes: Number(c[2]) } : undefined;
  });
}
