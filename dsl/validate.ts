// Checks a recorded plan against the rules a run depends on, before any process starts.
import { ScenarioError } from './errors.ts';
import type { NodeTarget, Plan, PlanStep } from './plan.ts';
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

/** Returns every rule the plan breaks; an empty list means it may run. */
export function validatePlan(plan: Pick<Plan, 'steps'>): ScenarioError[] {
  const errors: ScenarioError[] = [];
  let size: number | undefined;
  const states = new Map<string, { state: State; by: PlanStep }>();
  const issued = new Set<number>();
  const workloads = new Set<number>();
  const blocked = new Set<string>();
  let partitioned = false;
  for (const step of plan.steps) {
    const loc = step.location;
    if (step.kind === 'cluster.start') {
      if (size !== undefined) errors.push(new ScenarioError('cluster.start() may appear once per scenario.', 'remove the second cluster.start(); restart single nodes with node.start().', loc));
      size = step.nodes;
      continue;
    }
    const needsCluster = step.kind !== 'wait' && step.kind !== 'custom';
    if (needsCluster && size === undefined) {
      errors.push(new ScenarioError(`"${step.title}" comes before cluster.start().`, 'call cluster.start({ nodes: 3 }) first in the scenario body.', loc));
      continue;
    }
    for (const target of targetsOf(step)) {
      if (target.kind === 'index' && (target.index < 1 || target.index > size!)) {
        errors.push(new ScenarioError(`node-${target.index} does not exist: the cluster has ${size} nodes (node-1 to node-${size}).`, `use cluster.node(1) to cluster.node(${size}), or start more nodes.`, loc));
      }
    }
    if (step.kind === 'node') {
      const key = stateKey(step.target);
      const current = states.get(key) ?? { state: 'running' as State, by: step };
      const rule = needs[step.verb]!;
      if (!rule.from.includes(current.state)) {
        const where = current.by === step ? '' : ` by "${current.by.title}"${current.by.location ? ` at line ${current.by.location.line}` : ''}`;
        errors.push(new ScenarioError(`${step.verb}() needs ${targetLabel(step.target)} to be ${rule.from.join(' or ')}, but the plan has ${current.state === 'running' ? 'it running' : `${current.state} it`}${where}.`, `${rule.fix}.`, loc));
        continue;
      }
      states.set(key, { state: rule.to, by: step });
    }
    if (step.kind === 'net' && step.verb !== 'isolate') {
      const key = stateKey(step.target);
      if (step.verb === 'block' && blocked.has(key)) errors.push(new ScenarioError(`${targetLabel(step.target)} is already blocked.`, 'unblock() it before blocking it again.', loc));
      if (step.verb === 'unblock' && !blocked.has(key)) errors.push(new ScenarioError(`unblock() of ${targetLabel(step.target)}, which the plan has not blocked.`, 'block() it first (through the same selector), or remove this step.', loc));
      if (step.verb === 'block') blocked.add(key);
      else blocked.delete(key);
    }
    if (step.kind === 'net' && step.verb === 'isolate' || step.kind === 'partition') {
      if (partitioned) errors.push(new ScenarioError('A partition is already in place.', 'call cluster.heal() before the next partition or isolate().', loc));
      partitioned = true;
      if (step.kind === 'partition') errors.push(...checkGroups(step.groups, size!, loc));
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
  if (step.kind === 'node' || step.kind === 'net') return [step.target];
  if (step.kind === 'expect' && step.subject.kind === 'log') return [step.subject.target];
  if (step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut') return [step.link.to];
  if (step.kind === 'expect' && step.subject.kind === 'link') return [step.subject.link.to];
  if (step.kind === 'op' && step.op.client.endpoints !== 'all') return step.op.client.endpoints;
  if (step.kind === 'workload.start' && step.workload.client.endpoints !== 'all') return step.workload.client.endpoints;
  if (step.kind === 'watch.start' && step.watch.client.endpoints !== 'all') return step.watch.client.endpoints;
  if (step.kind === 'expect' && step.subject.kind === 'client' && step.subject.client.endpoints !== 'all') return step.subject.client.endpoints;
  return [];
}

function stateKey(target: NodeTarget): string {
  if (target.kind === 'named') return `named:${target.name}`;
  return target.kind === 'index' ? `index:${target.index}` : `ref:${target.ref}`;
}
