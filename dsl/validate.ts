// Checks a recorded plan against the rules a run depends on, before any process starts.
import { ScenarioError } from './errors.ts';
import type { ClientRef, NodeTarget, Plan, PlanStep } from './plan.ts';
import { targetLabel } from './titles.ts';

type State = 'running' | 'stopped' | 'paused';

const needs: Record<string, { from: State[]; to: State; fix: string }> = {
  kill: { from: ['running', 'paused'], to: 'stopped', fix: 'start() it again before this step, or remove this step' },
  term: { from: ['running'], to: 'stopped', fix: 'start() it again before this step (a paused node needs resume() first)' },
  pause: { from: ['running'], to: 'paused', fix: 'resume() or start() it before pausing it again' },
  resume: { from: ['paused'], to: 'running', fix: 'pause() it before this step, or remove this step' },
  start: { from: ['stopped'], to: 'running', fix: 'stop it first with kill() or term(), or use restart()' },
  restart: { from: ['running'], to: 'running', fix: 'use start() for a stopped node (resume() for a paused one)' },
};

/**
 * Returns every rule the plan breaks; an empty list means it may run. `column` is the service the
 * plan runs for: a declared cluster with that key is the column's own cluster.
 */
export function validatePlan(plan: Pick<Plan, 'steps'>, column?: string): ScenarioError[] {
  const errors: ScenarioError[] = [];
  /** Started clusters (key '' = the column's own) and their sizes. */
  const sizes = new Map<string, number>();
  /** Each started cluster's PD key. */
  const pdOf = new Map<string, string>();
  const keyOf = (cluster: string | undefined) => (cluster === undefined || cluster === column ? '' : cluster);
  const name = (key: string) => (key === '' ? 'the cluster' : `the ${key} cluster`);
  const states = new Map<string, { state: State; by: PlanStep }>();
  const issued = new Set<number>();
  const workloads = new Set<number>();
  const blocked = new Set<string>();
  /** Faults in force per node (node.fault steps that hold), with the verbs that end them. */
  const held = new Map<string, Array<{ fault: string; healedBy: readonly string[] }>>();
  let partitioned = false;
  for (const step of plan.steps) {
    const loc = step.location;
    if (step.kind === 'cluster.start') {
      const key = keyOf(step.cluster);
      const starts = key === '' ? 'cluster.start()' : `${key}.start()`;
      if (key === '' && step.cluster !== undefined && step.service !== undefined && column !== undefined && step.service !== column) {
        errors.push(new ScenarioError(`The cluster "${step.cluster}" is a ${step.service} cluster, but in the ${column} column that name is the column's own ${column} cluster.`, `give it another name: cluster('${step.service}', { name: 'pd' }).`, loc));
      }
      if (sizes.has(key)) errors.push(new ScenarioError(`${starts} may appear once per scenario for ${name(key)}.`, 'remove the second start(); restart single nodes with node.start().', loc));
      if (step.pd) {
        const pd = keyOf(step.pd.cluster);
        if (pd === key) errors.push(new ScenarioError(`${name(key)} cannot be its own PD.`, "start the PD as its own cluster: const pd = cluster('chainfire'); pd.start(); then cluster.start({ pd }).", loc));
        else if (!sizes.has(pd)) errors.push(new ScenarioError(`${name(key)} uses ${name(pd)} as PD, but ${name(pd)} is not started before it.`, `start the PD first: move ${pd === '' ? 'cluster' : pd}.start() above this line (clusters start in dependency order and are torn down in reverse).`, loc));
      }
      sizes.set(key, step.nodes);
      if (step.pd) pdOf.set(key, keyOf(step.pd.cluster));
      continue;
    }
    const refs = clustersOf(step).map(keyOf);
    const missing = step.kind === 'heal' ? (sizes.size ? [] : ['']) : refs.filter((k) => !sizes.has(k));
    if (missing.length) {
      const key = missing[0]!;
      errors.push(new ScenarioError(`"${step.title}" comes before ${key === '' ? 'cluster.start()' : `${name(key)} is started`}.`, key === '' ? 'call cluster.start({ nodes: 3 }) first in the scenario body.' : `call start() on the ${key} cluster before this step.`, loc));
      continue;
    }
    for (const target of targetsOf(step)) {
      const size = sizes.get(keyOf(target.cluster))!;
      const prefix = keyOf(target.cluster) === '' ? '' : `${target.cluster}-`;
      if (target.kind === 'index' && (target.index < 1 || target.index > size)) {
        errors.push(new ScenarioError(`${prefix}node-${target.index} does not exist: ${name(keyOf(target.cluster))} has ${size} nodes (${prefix}node-1 to ${prefix}node-${size}).`, keyOf(target.cluster) === '' ? `use cluster.node(1) to cluster.node(${size}), or start more nodes.` : `use node(1) to node(${size}) of the ${target.cluster} cluster, or start more nodes.`, loc));
      }
    }
    const link = step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut' ? step.link : step.kind === 'expect' && step.subject.kind === 'link' ? step.subject.link : undefined;
    if (link?.fromNode) {
      const from = keyOf(link.fromNode.cluster);
      const to = keyOf(link.to.cluster);
      if (link.fromNode.kind === 'named' && from !== to) {
        errors.push(new ScenarioError(`${link.from}.linkTo(${targetLabel(link.to)}): a dependent server's links go to the nodes of the cluster it stands in front of (${name(from)}), not to ${name(to)}.`, `link to a node of ${name(from)}, or start the dependent on ${name(to)}.`, loc));
      } else if (link.fromNode.kind === 'index' && from === to) {
        errors.push(new ScenarioError(`${link.from}.linkTo(${targetLabel(link.to)}): links between nodes of one cluster are not proxied (their peer traffic is cut with partitions).`, `use cluster.partition(...) or node.isolate() between nodes, node.link() for the clients' link to a node.`, loc));
      } else if (link.fromNode.kind === 'index' && pdOf.get(from) !== to) {
        errors.push(new ScenarioError(`${link.from}.linkTo(${targetLabel(link.to)}): a node's link goes to a member of its cluster's PD, and ${name(to)} is not the PD of ${name(from)}.`, `start ${name(from)} with { pd } set to ${name(to)}, or use node.link() for the clients' link to a node.`, loc));
      }
    }
    const pinned = pinnedClient(step);
    if (pinned && new Set(pinned.map((t) => keyOf(t.cluster))).size > 1) {
      errors.push(new ScenarioError(`"${step.title}": a client is pinned to nodes of several clusters (${pinned.map(targetLabel).join(', ')}).`, 'pin each client to nodes of one cluster: client.to(pd.node(1)) and client.to(cluster.node(1)) are two clients.', loc));
    }
    if (step.kind === 'node') {
      const key = stateKey(step.target, keyOf(step.target.cluster));
      const current = states.get(key) ?? { state: 'running' as State, by: step };
      const rule = needs[step.verb]!;
      if (!rule.from.includes(current.state)) {
        const where = current.by === step ? '' : ` by "${current.by.title}"${current.by.location ? ` at line ${current.by.location.line}` : ''}`;
        errors.push(new ScenarioError(`${step.verb}() needs ${targetLabel(step.target)} to be ${rule.from.join(' or ')}, but the plan has ${current.state === 'running' ? 'it running' : `${current.state} it`}${where}.`, `${rule.fix}.`, loc));
        continue;
      }
      states.set(key, { state: rule.to, by: step });
    }
    if (step.kind === 'link.fault' && step.link.peer && !step.link.peer.group) {
      // A one-way cut of a stopped member's link tests nothing: it dials nobody and nobody reaches it.
      for (const t of [step.link.peer.from, step.link.to]) {
        const down = states.get(stateKey(t, keyOf(t.cluster)));
        if (down && down.state === 'stopped') {
          errors.push(new ScenarioError(`"${step.title}" needs ${targetLabel(t)} running, but the plan has stopped it by "${down.by.title}"${down.by.location ? ` at line ${down.by.location.line}` : ''}.`, `cut the link before stopping ${targetLabel(t)}, or start() it first.`, loc));
        }
      }
    }
    if (step.kind === 'net' && step.verb !== 'isolate') {
      const key = stateKey(step.target, keyOf(step.target.cluster));
      if (step.verb === 'block' && blocked.has(key)) errors.push(new ScenarioError(`${targetLabel(step.target)} is already blocked.`, 'unblock() it before blocking it again.', loc));
      if (step.verb === 'unblock' && !blocked.has(key)) errors.push(new ScenarioError(`unblock() of ${targetLabel(step.target)}, which the plan has not blocked.`, 'block() it first (through the same selector), or remove this step.', loc));
      if (step.verb === 'block') blocked.add(key);
      else blocked.delete(key);
    }
    if (step.kind === 'node.fault') {
      const key = stateKey(step.target, keyOf(step.target.cluster));
      const onNode = held.get(key) ?? [];
      if (step.heals) {
        const ending = onNode.filter((f) => f.healedBy.includes(step.fault));
        const block = step.fault === 'restore' && blocked.has(key);
        if (!ending.length && !block) errors.push(new ScenarioError(`${step.fault}() of ${targetLabel(step.target)}, which has no fault in force that ${step.fault}() ends.`, `place the fault first (e.g. ${targetLabel(step.target) === 'the leader' ? 'cluster.leader()' : 'node'}.loss('30%')) through the same selector, or remove this step.`, loc));
        held.set(key, onNode.filter((f) => !ending.includes(f)));
        if (block) blocked.delete(key);
      } else if (step.healedBy) {
        if (onNode.some((f) => f.fault === step.fault)) errors.push(new ScenarioError(`${targetLabel(step.target)} already has ${step.fault}() in force.`, `end it first (${step.healedBy.map((v) => `${v}()`).join(' or ')}) before placing it again.`, loc));
        held.set(key, [...onNode, { fault: step.fault, healedBy: step.healedBy }]);
      }
    }
    if (step.kind === 'net' && step.verb === 'isolate' || step.kind === 'partition') {
      if (partitioned) errors.push(new ScenarioError('A partition is already in place.', 'call cluster.heal() before the next partition or isolate().', loc));
      partitioned = true;
      if (step.kind === 'partition') errors.push(...checkGroups(step.groups, sizes.get(keyOf(step.cluster))!, loc));
    }
    if (step.kind === 'heal') {
      if (!partitioned) errors.push(new ScenarioError('heal() without a partition in place.', 'partition the cluster (cluster.partition() or node.isolate()) before healing it, or remove this step.', loc));
      partitioned = false;
    }
    if (step.kind === 'op') issued.add(step.op.id);
    if (step.kind === 'workload.start') workloads.add(step.workload.id);
    if (step.kind === 'workload.stop') {
      if (!workloads.has(step.workload.id)) errors.push(new ScenarioError('stop() of a workload that is not running (stopped twice?).', 'call stop() once per cluster.workload().', loc));
      workloads.delete(step.workload.id);
    }
    if (step.kind === 'expect' && step.subject.kind === 'op' && !issued.has(step.subject.op.id)) {
      errors.push(new ScenarioError(`"${step.title}" refers to an operation that is not part of this plan yet.`, 'issue the operation before expecting something of it.', loc));
    }
  }
  return errors;
}

/** Marks each operation whose outcome a later expectation checks; unchecked ones must succeed. */
export function markChecked(plan: Pick<Plan, 'steps'>): void {
  const checked = new Set<number>();
  for (const step of plan.steps) {
    if (step.kind !== 'expect') continue;
    const op = step.subject.kind === 'op' ? step.subject.op : step.subject.kind === 'client' ? step.subject.op : undefined;
    if (op && step.matcher !== 'toRead') checked.add(op.id);
  }
  for (const step of plan.steps) if (step.kind === 'op') step.checked = checked.has(step.op.id);
}

/** Partition groups must name each node exactly once, in two or more non-empty groups. */
function checkGroups(groups: number[][], size: number, loc: PlanStep['location']): ScenarioError[] {
  const fix = `name every node once, e.g. cluster.partition([1], [${Array.from({ length: size - 1 }, (_, i) => i + 2).join(', ')}]).`;
  if (groups.length < 2 || groups.some((g) => !Array.isArray(g) || g.length === 0)) {
    return [new ScenarioError(`partition() needs two or more non-empty groups of node numbers, got ${JSON.stringify(groups)}.`, fix, loc)];
  }
  const seen = new Map<number, number>();
  const errors: ScenarioError[] = [];
  groups.flat().forEach((n) => seen.set(n, (seen.get(n) ?? 0) + 1));
  for (const [n, count] of seen) {
    if (!Number.isInteger(n) || n < 1 || n > size) errors.push(new ScenarioError(`partition() names node-${n}, but the cluster has ${size} nodes (node-1 to node-${size}).`, fix, loc));
    else if (count > 1) errors.push(new ScenarioError(`partition() puts node-${n} in ${count} groups; groups must not overlap.`, fix, loc));
  }
  const missing = Array.from({ length: size }, (_, i) => i + 1).filter((n) => !seen.has(n));
  if (missing.length) errors.push(new ScenarioError(`partition() leaves out ${missing.map((n) => `node-${n}`).join(', ')}; every node must be in a group.`, fix, loc));
  return errors;
}

function targetsOf(step: PlanStep): NodeTarget[] {
  if (step.kind === 'node' || step.kind === 'net' || step.kind === 'node.fault') return [step.target];
  if (step.kind === 'expect' && step.subject.kind === 'log') return [step.subject.target];
  if (step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut') return [step.link.to, ...(step.link.fromNode ? [step.link.fromNode] : []), ...(step.link.peer ? [step.link.peer.from] : [])];
  if (step.kind === 'expect' && step.subject.kind === 'link') return [step.subject.link.to, ...(step.subject.link.fromNode ? [step.subject.link.fromNode] : []), ...(step.subject.link.peer ? [step.subject.link.peer.from] : [])];
  if (step.kind === 'op' && step.op.client.endpoints !== 'all') return step.op.client.endpoints;
  if (step.kind === 'workload.start' && step.workload.client.endpoints !== 'all') return step.workload.client.endpoints;
  if (step.kind === 'watch.start' && step.watch.client.endpoints !== 'all') return step.watch.client.endpoints;
  if (step.kind === 'expect' && step.subject.kind === 'client' && step.subject.client.endpoints !== 'all') return step.subject.client.endpoints;
  return [];
}

function stateKey(target: NodeTarget, cluster: string): string {
  if (target.kind === 'named') return `named:${target.name}`;
  return target.kind === 'index' ? `${cluster}/index:${target.index}` : `ref:${target.ref}`;
}

/** The endpoints of a client pinned to nodes, for the step's client (if any). */
function pinnedClient(step: PlanStep): NodeTarget[] | undefined {
  const client = clientOf(step);
  return client && client.endpoints !== 'all' ? client.endpoints : undefined;
}

/** The client a step acts through (operation, workload, watch, or the subject of an expectation). */
function clientOf(step: PlanStep): ClientRef | undefined {
  if (step.kind === 'op') return step.op.client;
  if (step.kind === 'workload.start' || step.kind === 'workload.stop') return step.workload.client;
  if (step.kind === 'watch.start') return step.watch.client;
  if (step.kind !== 'expect') return undefined;
  const s = step.subject;
  return s.kind === 'client' ? s.client : s.kind === 'op' ? s.op.client : s.kind === 'watch' ? s.watch.client : undefined;
}

/** The clusters a step needs started (undefined: the column's own). */
function clustersOf(step: PlanStep): (string | undefined)[] {
  if (step.kind === 'wait' || step.kind === 'custom' || step.kind === 'heal') return [];
  const own: (string | undefined)[] = [];
  if (step.kind === 'cluster.waitForLeader' || step.kind === 'partition' || step.kind === 'dependent.start') own.push(step.cluster);
  if (step.kind === 'expect' && step.subject.kind === 'cluster') own.push(step.subject.cluster);
  const client = clientOf(step);
  if (client?.endpoints === 'all') own.push(client.cluster);
  else if (client) own.push(...client.endpoints.map((t) => t.cluster));
  const targets = targetsOf(step).map((t) => t.cluster);
  const all = [...own, ...targets];
  // A step with nothing cluster-specific (e.g. stopping a workload) needs the column's cluster, as before.
  return all.length ? all : [undefined];
}
