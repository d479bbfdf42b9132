// Turns each plan step into one Playwright step whose title names the resolved nodes, located at the spec line.
import { test } from '@playwright/test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan, PlanStep } from '../dsl/plan.ts';
import { nodeVerbTitle, resolvedLabel } from '../dsl/titles.ts';
import { OperationError } from './errors.ts';
import { faultlineExpect } from './matchers/index.ts';
import { expectStep, observeLeader, type ClusterCheck } from './expect-step.ts';
import type { Run } from './run.ts';
import { preflight, type PlanNeeds } from './preflight.ts';
import { RunNetwork } from './network.ts';
import { EnvironmentError } from './errors.ts';
import { formatLocation } from '../dsl/location.ts';
import { markFailedStep } from './failed-step.ts';

export type { ClusterCheck } from './expect-step.ts';

/** Executes every step of a plan inside the current test. */
export async function executePlan(plan: Plan, run: Run, clusterChecks: Record<string, ClusterCheck> = {}): Promise<void> {
  const needs = preflight(plan);
  checkTopology(plan, run);
  run.subjectsDirect = plan.steps.some((s) => s.kind === 'net' && s.verb === 'block' && RunNetwork.backend(s.via) === 'iptables');
  for (const step of plan.steps) {
    let title = step.title;
    let node: string | undefined;
    let resolveError: unknown;
    if (step.kind === 'cluster.start' && !step.pd) {
      const pd = run.definitionFor(step.cluster, step.service).pdService;
      if (pd) title += ` (after its configured PD: ${pd.service}, ${pd.nodes} node${pd.nodes === 1 ? '' : 's'})`;
    }
    if (step.kind === 'node' || step.kind === 'net') {
      try {
        node = await run.resolve(step.target);
        title = step.kind === 'node' ? nodeVerbTitle(step.verb, resolvedLabel(step.target, node)) : netTitle(step, resolvedLabel(step.target, node), run, node);
      } catch (e) {
        resolveError = e;
      }
    }
    await test.step(
      title,
      async () => {
        try {
          if (resolveError) throw resolveError;
          await runStep(step, run, node, clusterChecks, needs);
        } catch (e) {
          throw pointAtSpec(markFailedStep(e, step), step);
        }
      },
      { location: step.location },
    );
  }
}

async function runStep(step: PlanStep, run: Run, node: string | undefined, checks: Record<string, ClusterCheck>, needs: PlanNeeds): Promise<void> {
  switch (step.kind) {
    case 'cluster.start':
      await run.startCluster({ nodes: step.nodes, heartbeatMs: step.heartbeatMs, electionMs: step.electionMs, cluster: step.cluster, service: step.service, pd: step.pd, ...needs, pdLinks: [...needs.pdLinked].some((k) => run.keyOf(k) === run.keyOf(step.cluster)) });
      return;
    case 'net': {
      const cluster = run.clusterOfNode(node!);
      if (step.verb === 'block') await run.network.block(node!, Object.values(cluster.nodeSpec(node!).ports), step.via);
      else if (step.verb === 'unblock') await run.network.unblock(node!);
      else await run.network.partitionNodes(cluster, [[node!], cluster.names.filter((n) => n !== node)], 'isolate');
      return;
    }
    case 'partition': {
      const cluster = run.clusterOf(step.cluster);
      await run.network.partitionNodes(cluster, step.groups.map((g) => g.map((i) => cluster.nameOf(i))), 'partition');
      return;
    }
    case 'heal':
      await run.network.heal();
      return;
    case 'cluster.waitForLeader': {
      const cluster = run.clusterOf(step.cluster);
      const leader = await cluster.leader(step.withinMs);
      faultlineExpect(observeLeader(cluster, leader, step.withinMs, 0)).toHaveLeader();
      return;
    }
    case 'node':
      return nodeVerb(step.verb, run, node!);
    case 'op': {
      const { done } = await run.issue(step.op);
      if (step.background) return;
      const r = await done;
      if (r.outcome !== 'ok' && !step.checked) throw new OperationError(`${r.error}\n  (an operation no expect() checks must succeed; add expect(op).toFail() if failure is expected)`);
      return;
    }
    case 'wait':
      await sleep(step.ms);
      return;
    case 'custom':
      await (step.body as (rt: Run) => Promise<void> | void)(run);
      return;
    case 'expect':
      return expectStep(step, run, checks);
    case 'dependent.start':
      await run.startDependent(step.dependent, step.name, needs.linkedDependents.has(step.name), step.cluster);
      return;
    case 'link.fault': {
      const to = await run.resolve(step.link.to);
      await run.network.linkFault(await run.linkFrom(step.link), to, step.fault, step.title);
      return;
    }
    case 'link.heal':
      await run.network.linkHeal(await run.linkFrom(step.link), await run.resolve(step.link.to));
      return;
    case 'link.cut':
      run.network.link(await run.linkFrom(step.link), await run.resolve(step.link.to)).cut();
      return;
    case 'watch.start':
      await run.startWatch(step.watch);
      return;
    case 'workload.start':
      run.startWorkload(step.workload);
      return;
    case 'workload.stop':
      await run.stopWorkloads(step.workload.id);
      return;
  }
}

async function nodeVerb(verb: string, run: Run, node: string): Promise<void> {
  const c = run.clusterOfNode(node);
  if (verb === 'kill') await c.kill(node);
  else if (verb === 'term') await c.term(node);
  else if (verb === 'pause') c.pause(node);
  else if (verb === 'resume') c.resume(node);
  else if (verb === 'start') await c.startNode(node);
  else if (verb === 'restart') await c.restart(node);
}


/** The runtime title of a network step names the node and the backend really used. */
function netTitle(step: Extract<PlanStep, { kind: 'net' }>, label: string, run: Run, node: string): string {
  if (step.verb === 'unblock') return `unblock ${label}`;
  const cluster = run.clusterOfNode(node);
  if (step.verb === 'isolate') return `isolate ${label} from ${cluster.names.filter((n) => n !== node).join(', ')} (both directions, iptables owner match)`;
  const ports = Object.values(cluster.nodeSpec(node).ports).join(',');
  return RunNetwork.backend(step.via) === 'iptables'
    ? `block ${label} via iptables: -A INPUT -p tcp --dport ${ports} -j DROP`
    : `block ${label} via the fault proxy: client link blackholed (peer links untouched)`;
}

/**
 * Every cluster the plan starts has a definition, and a cluster given a PD uses one: checked before
 * any process starts (a PD the service ignores would make the scenario test nothing).
 */
function checkTopology(plan: Plan, run: Run): void {
  const keys = new Set(plan.steps.flatMap((s) => (s.kind === 'cluster.start' && s.cluster !== undefined ? [s.cluster] : [])));
  for (const step of plan.steps) {
    if (step.kind !== 'cluster.start') continue;
    const definition = run.definitionFor(step.cluster, step.service);
    const autoPd = `${step.cluster ?? definition.name}-pd`;
    if (!step.pd && definition.pdService && keys.has(autoPd)) {
      const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
      throw new EnvironmentError(`"${step.title}" would start the PD its configuration names as "${autoPd}", but the scenario declares a cluster of that name.${where}\n  Fix: give the declared cluster another name, or pass it as this cluster's PD: start({ pd }).`);
    }
    if (step.pd && !definition.usesPd) {
      const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
      const fix = definition.usesPd === false
        ? `add the PD flag with {pd} to "${definition.name}".args in faultline.services.json (e.g. "--pd-endpoints", "{pd}"), or start the cluster without pd.`
        : `start the ${definition.name} cluster without pd (only services configured with {pd} in their launch take one).`;
      throw new EnvironmentError(`"${step.title}" gives the ${definition.name} cluster a PD, but the ${definition.name} service does not use PD endpoints: its launch has no {pd}.${where}\n  Fix: ${fix}`);
    }
  }
}

/** Like a boxed step, but pointing at the spec line that recorded the verb, not at the runner. */
function pointAtSpec(e: unknown, step: PlanStep): unknown {
  if (!(e instanceof Error) || !step.location || process.env.FAULTLINE_DEBUG) return e;
  const { file, line, column } = step.location;
  e.stack = `${e.name}: ${e.message}\n    at ${file}:${line}:${column}`;
  return e;
}
