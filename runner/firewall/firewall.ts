// The run's own firewall: two chains jumped to from INPUT and OUTPUT on loopback only, holding the seed's port
// blocks and true partitions; close() removes exactly what create() added and never touches another rule.
import type { FirewallRecorder } from './firewall-event.ts';
import { firewallCapability } from './capability.ts';
import { CHAIN_PREFIX, newChainNames, parseChainName, type ChainNames } from './chain-name.ts';
import { isOwnerAlive, ownerComment, parseOwnerComment } from './chain-owner.ts';
import { FirewallError } from './firewall-error.ts';
import { iptables, iptablesRestore } from './iptables.ts';
import { crossRules, establishedRules, requirePort, validatePartition, type PartitionGroups } from './partition-rules.ts';
import { loopbackConnections } from './tcp-sockets.ts';
import { countersIn, ruleTag, taggedRule, type RuleCounter } from './rule-counters.ts';

/** Options of Firewall.create(). */
export interface FirewallOptions {
  /** Written into the jump rules' comment, so a human reading `iptables -S` knows which run they belong to. */
  runId: string;
  events?: FirewallRecorder;
}

/** What the watchdog needs to undo one chain if the runner dies: the chain and the exact jump rules to delete. */
export interface ChainCleanup {
  kind: 'iptables-chain';
  chain: string;
  jumps: string[][];
}

/** The seed's rule, `-p tcp --dport P -j DROP`, inside the run's INPUT chain instead of INPUT itself. */
export const seedRule = (port: number): string[] => ['-p', 'tcp', '--dport', String(port), '-j', 'DROP'];

/**
 * One run's iptables state. Chains (see chain-name.ts): `FAULTLINE-<pid>-<hex>-in`, jumped to from `INPUT -i lo`,
 * holds the seed's inbound port blocks; `FAULTLINE-<pid>-<hex>-out`, jumped to from `OUTPUT -o lo`, holds partition
 * rules. Two chains because the kernel refuses an owner match in any chain reachable from INPUT (measured:
 * "RULE_INSERT failed (Invalid argument)"). The jumps are inserted first in INPUT/OUTPUT, so a host rule that
 * accepts loopback traffic cannot shadow them.
 * @example
 * const fw = await Firewall.create({ runId: testInfo.testId });
 * try { await fw.blockInbound('node-1', [2379, 2380]); } finally { await fw.close(); }
 */
export class Firewall {
  private readonly blocks = new Map<string, number[]>();
  /** The partition's rule lines (`-A <out> ...`), deleted one by one so other faults' rules in the chain stay. */
  private partitionLines: string[] = [];
  private readonly outputRules = new Map<string, string[]>();
  private closing?: Promise<void>;

  private constructor(
    readonly names: ChainNames,
    private readonly jumps: { input: string[]; output: string[] },
    private readonly events?: FirewallRecorder,
  ) {}

  /** Creates both chains and their jumps in one transaction; fails with the capability's fix when not root. */
  static async create(options: FirewallOptions): Promise<Firewall> {
    const capability = firewallCapability();
    if (!capability.usable) throw new FirewallError(`Cannot create the run's firewall chain: ${capability.reason}`);
    const taken = chainsIn(await iptables(['-S']));
    let names = newChainNames();
    while (taken.has(names.input) || taken.has(names.output)) names = newChainNames();
    const comment = ownerComment(options.runId);
    const jumps = {
      input: ['INPUT', '-i', 'lo', '-m', 'comment', '--comment', comment, '-j', names.input],
      output: ['OUTPUT', '-o', 'lo', '-m', 'comment', '--comment', comment, '-j', names.output],
    };
    await iptablesRestore([
      `:${names.input} - [0:0]`,
      `:${names.output} - [0:0]`,
      `-I ${jumps.input[0]} 1 ${jumps.input.slice(1).join(' ')}`,
      `-I ${jumps.output[0]} 1 ${jumps.output.slice(1).join(' ')}`,
    ]);
    const fw = new Firewall(names, jumps, options.events);
    fw.record('create', `chains "${names.input}" (from INPUT -i lo) and "${names.output}" (from OUTPUT -o lo)`);
    return fw;
  }

  /** Both chains with the jumps to delete, in the shape the watchdog registers. */
  get cleanup(): ChainCleanup[] {
    return [
      { kind: 'iptables-chain', chain: this.names.input, jumps: [this.jumps.input] },
      { kind: 'iptables-chain', chain: this.names.output, jumps: [this.jumps.output] },
    ];
  }

  /** Drops inbound TCP to `ports` (the seed's block); calling it again for the same key and ports does nothing. */
  async blockInbound(key: string, ports: number[]): Promise<void> {
    this.requireOpen('blockInbound');
    for (const p of ports) requirePort(`blockInbound("${key}")`, p);
    const have = this.blocks.get(key);
    if (have) {
      if (sameSet(have, ports)) return;
      throw new FirewallError(`blockInbound("${key}") is already in force for ports ${have.join(', ')}, not ${ports.join(', ')}: call unblockInbound("${key}") first.`);
    }
    this.blocks.set(key, [...ports]);
    try {
      await iptablesRestore(ports.map((p) => `-A ${this.names.input} ${seedRule(p).join(' ')}`));
    } catch (e) {
      this.blocks.delete(key);
      throw e;
    }
    this.record('block', `inbound tcp to ports ${ports.join(', ')} dropped for "${key}"`, { key, ports });
  }

  /** Removes the rules blockInbound(key) added; a key that is not blocked is a no-op. */
  async unblockInbound(key: string): Promise<void> {
    this.requireOpen('unblockInbound');
    const ports = this.blocks.get(key);
    if (!ports) return;
    await iptablesRestore(ports.map((p) => `-D ${this.names.input} ${seedRule(p).join(' ')}`));
    this.blocks.delete(key);
    this.record('unblock', `inbound tcp to ports ${ports.join(', ')} accepted again for "${key}"`, { key, ports });
  }

  /**
   * Cuts every node from every node in another group, both directions, new and established connections; nodes
   * not listed (and root, i.e. the harness) are not affected. A second partition() replaces the first atomically.
   */
  async partition(groups: PartitionGroups): Promise<void> {
    this.requireOpen('partition');
    validatePartition(groups);
    const out = this.names.output;
    const applied = new Set<string>();
    const lines = (rules: string[][]) => {
      const fresh = rules.map((r) => `-A ${out} ${r.join(' ')}`).filter((l) => !applied.has(l));
      for (const l of fresh) applied.add(l);
      return fresh;
    };
    await iptablesRestore([...deleting(this.partitionLines), ...lines(crossRules(groups)), ...lines(establishedRules(groups, loopbackConnections()))]);
    this.partitionLines = [...applied];
    // Connections opened while the batch was prepared: none can open after it, so a second look is complete.
    const late = lines(establishedRules(groups, loopbackConnections()));
    await iptablesRestore(late);
    this.partitionLines.push(...late);
    const sides = groups.map((g) => g.map((n) => `uid ${n.uid} (ports ${n.ports.join(', ')})`).join(' + ')).join(' | ');
    this.record('partition', sides, { groups, rules: applied.size });
  }

  /** Removes every partition rule; established connections resume as TCP retransmits. No-op when not partitioned. */
  async heal(): Promise<void> {
    this.requireOpen('heal');
    if (!this.partitionLines.length) return;
    await iptablesRestore(deleting(this.partitionLines));
    this.partitionLines = [];
    this.record('heal', 'partition rules removed');
  }

  /**
   * Adds a fault's rules (arguments after `-A <chain>`) to the OUTPUT-path chain, where owner matches work, under
   * `key`; one batch, so they start at the same instant. A key already in force is an error.
   */
  async addOutputRules(key: string, rules: string[][]): Promise<void> {
    this.requireOpen('addOutputRules');
    if (this.outputRules.has(key)) throw new FirewallError(`Rules for "${key}" are already in force: call removeOutputRules("${key}") first.`);
    // Each rule carries its tag as a comment, so its counters can be read back (outputRuleCounters).
    const lines = rules.map((r, i) => `-A ${this.names.output} ${taggedRule(r, ruleTag(key, i)).join(' ')}`);
    await iptablesRestore(lines);
    this.outputRules.set(key, lines);
    this.record('rules', `${lines.length} rule(s) added for "${key}"`, { key, rules: lines });
  }

  /** Deletes exactly the rules added under `key`; a key not in force is a no-op. */
  async removeOutputRules(key: string): Promise<void> {
    this.requireOpen('removeOutputRules');
    const lines = this.outputRules.get(key);
    if (!lines) return;
    await iptablesRestore(deleting(lines));
    this.outputRules.delete(key);
    this.record('rules', `rules for "${key}" removed`, { key });
  }

  /** The kernel's packet counters of the rules added under `key`, in the order they were added. */
  async outputRuleCounters(key: string): Promise<RuleCounter[]> {
    const lines = this.outputRules.get(key);
    if (!lines) throw new FirewallError(`No rules for "${key}" are in force: read their counters before removeOutputRules("${key}").`);
    const tags = lines.map((_, i) => ruleTag(key, i));
    const counters = countersIn(await iptables(['-v', '-S', this.names.output]), tags);
    const missing = tags.filter((_, i) => !counters[i]);
    if (missing.length) throw new FirewallError(`The rules tagged ${missing.join(', ')} are not in ${this.names.output} any more: another process changed the run's chain.`);
    return counters as RuleCounter[];
  }

  /** The rules in both chains, as `iptables -S` prints them (evidence for reports and tests). */
  async rules(): Promise<string[]> {
    const listings = await Promise.all([this.names.input, this.names.output].map((c) => iptables(['-S', c])));
    return listings.flatMap((l) => l.split('\n').filter((line) => line.startsWith('-A ')));
  }

  /** Deletes the jumps and both chains; idempotent, and safe to call in every finally block. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const removed = await removeChains([this.names.input, this.names.output]);
      this.blocks.clear();
      this.partitionLines = [];
      this.outputRules.clear();
      this.record('close', removed.length ? `removed ${removed.join(', ')}` : 'chains already gone');
    })();
    return this.closing;
  }

  /** Removes one chain and every jump to it; false when it does not exist. For the watchdog and for sweeps. */
  static async removeChain(name: string): Promise<boolean> {
    return (await removeChains([name])).length > 0;
  }

  /**
   * Removes leftover chains named `<prefix><pid>-<hex>-in|out` whose owner is dead: the pid is gone, or now belongs
   * to a process with another start time than the one in the jump's comment. Returns the removed chains.
   */
  static async sweep(prefix = CHAIN_PREFIX): Promise<string[]> {
    const listing = await iptables(['-S']);
    const dead = [...chainsIn(listing)].filter((name) => {
      const parsed = parseChainName(name, prefix);
      if (!parsed) return false;
      const owner = listing.split('\n').map((l) => (jumpTarget(l) === name ? parseOwnerComment(l) : undefined)).find((o) => o?.pid === parsed.pid);
      return !isOwnerAlive(parsed.pid, owner?.start);
    });
    return dead.length ? removeChains(dead) : [];
  }

  private requireOpen(verb: string): void {
    if (this.closing) throw new FirewallError(`Firewall "${this.names.id}" is closed: ${verb}() must come before close().`);
  }

  private record(action: string, detail: string, fields: Record<string, unknown> = {}): void {
    this.events?.record('firewall', { action, chain: this.names.id, detail, ...fields });
  }
}

/** Deletes jumps to `names` from any chain, then flushes and deletes the chains, in one transaction. */
async function removeChains(names: string[]): Promise<string[]> {
  const listing = await iptables(['-S']);
  const existing = chainsIn(listing);
  const present = names.filter((n) => existing.has(n));
  if (!present.length) return [];
  const jumps = listing.split('\n').filter((l) => l.startsWith('-A ') && present.includes(jumpTarget(l) ?? '') && !present.includes(l.split(' ')[1]!));
  await iptablesRestore([...jumps.map((l) => `-D${l.slice(2)}`), ...present.map((n) => `-F ${n}`), ...present.map((n) => `-X ${n}`)]);
  return present;
}

/** `-A chain rule` lines as the `-D` lines that delete them. */
function deleting(lines: readonly string[]): string[] {
  return lines.map((l) => `-D${l.slice(2)}`);
}

/** User chains declared in an `iptables -S` listing (`-N NAME` lines). */
function chainsIn(listing: string): Set<string> {
  return new Set(listing.split('\n').filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim()));
}

/** The chain a rule jumps or goes to, if any. */
function jumpTarget(line: string): string | undefined {
  return /\s-[jg]\s+(\S+)\s*$/.exec(line)?.[1];
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
