// Turns each plan step into one Playwright step whose title names the resolved nodes, located at the spec line.
import { test } from '@playwright/test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan, PlanStep } from '../dsl/plan.ts';
import { resolvedLabel } from '../dsl/titles.ts';
import { OperationError } from './errors.ts';
import { faultlineExpect } from './matchers/index.ts';
import { expectStep, observeLeader, type ClusterCheck } from './expect-step.ts';
import type { Run } from './run.ts';
import { preflight, type PlanNeeds } from './preflight.ts';
import { blockBackend } from './faults/block.ts';
import { faultStep, type FaultStep } from './fault-steps.ts';
import type { FaultTarget } from './faults/index.ts';
import { EnvironmentError } from './process/process-errors.ts';
import { formatLocation, pointStackAt } from '../dsl/location.ts';
import { markFailedStep } from './failed-step.ts';
import { showWorkloads } from './workload-report.ts';
import { checkPeerLinks, linkPairs, requireRunningEnds } from './peer-links.ts';
import { attachCutEffect } from './peer-cut-effect.ts';
import { showFaultEffects } from './fault-effects.ts';

export type { ClusterCheck } from './expect-step.ts';

/** Executes every step of a plan inside the current test. */
export async function executePlan(plan: Plan, run: Run, clusterChecks: Record<string, ClusterCheck> = {}): Promise<void> {
  const needs = preflight(plan);
  checkTopology(plan, run);
  run.subjectsDirect = plan.steps.some((s) => s.kind === 'net' && s.verb === 'block' && (() => { const b = blockBackend(s.via); return 'backend' in b && b.backend === 'iptables'; })());
  checkPeerLinks(plan, run);
  for (const step of plan.steps) {
    let title = step.title;
    let resolveError: unknown;
    if (step.kind === 'cluster.start' && !step.pd) {
      const pd = run.definitionFor(step.cluster, step.service).pdService;
      if (pd) title += ` (after its configured PD: ${pd.service}, ${pd.nodes} node${pd.nodes === 1 ? '' : 's'})`;
    }
    let fault: { step: FaultStep; target: FaultTarget } | undefined;
    try {
      const fs = faultStep(step, plan);
      if (fs) {
        const target = await resolveTarget(fs, run);
        title = run.faults.title(fs.fault, target, fs.params, step.title);
        fault = { step: fs, target };
      }
    } catch (e) {
      resolveError = e;
    }
    await test.step(
      title,
      async () => {
        try {
          if (resolveError) throw resolveError;
          if (fault) await showFaultEffects(run, await run.faults.apply(fault.step.fault, fault.target, fault.step.params, title));
          if (fault && step.kind === 'link.heal' && step.link.peer) await attachCutEffect(run, step.link);
          else await runStep(step, run, clusterChecks, needs);
        } catch (e) {
          throw pointAtSpec(markFailedStep(e, step), step);
        }
      },
      { location: step.location },
    );
  }
}

async function runStep(step: PlanStep, run: Run, checks: Record<string, ClusterCheck>, needs: PlanNeeds): Promise<void> {
  switch (step.kind) {
    case 'cluster.start':
      await run.startCluster({ nodes: step.nodes, heartbeatMs: step.heartbeatMs, electionMs: step.electionMs, cluster: step.cluster, service: step.service, pd: step.pd, ...needs, pdLinks: [...needs.pdLinked].some((k) => run.keyOf(k) === run.keyOf(step.cluster)), peerLinks: [...needs.peerLinked].some((k) => run.keyOf(k) === run.keyOf(step.cluster)) });
      return;
    case 'cluster.waitForLeader': {
      const cluster = run.clusterOf(step.cluster);
      const leader = await cluster.leader(step.withinMs);
      faultlineExpect(observeLeader(cluster, leader, step.withinMs, 0)).toHaveLeader();
      return;
    }
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
    case 'link.cut':
      for (const [from, to] of await linkPairs(run, step.link)) await run.network.link(from, to).cut();
      return;
    case 'watch.start':
      await run.startWatch(step.watch);
      return;
    case 'workload.start':
      run.startWorkload(step.workload);
      return;
    case 'workload.stop':
      await run.stopWorkloads(step.workload.id);
      await showWorkloads(run.events, step.workload.id);
      return;
  }
}

/** Resolves whom a fault step acts on: role selectors bind here, once, and the title names the result. */
async function resolveTarget(fs: FaultStep, run: Run): Promise<FaultTarget> {
  const on = fs.on;
  if ('node' in on) {
    const node = await run.resolve(on.node);
    return { node, label: resolvedLabel(on.node, node) };
  }
  if ('link' in on && on.link.peer) {
    const pairs = await linkPairs(run, on.link);
    // A one-way cut (or any peer fault) of a stopped member's link would test nothing.
    if (fs.fault.name === 'peer-link') requireRunningEnds(run, pairs, `"${fs.fault.name}" on ${pairs.map(([f, t]) => `${f} → ${t}`).join(', ')}`);
    const links = pairs.map(([from, to]) => ({ from, to }));
    return on.link.peer.group ? { links } : { link: links[0]! };
  }
  if ('link' in on) return { link: { from: await run.linkFrom(on.link), to: await run.resolve(on.link.to) } };
  if (on.groups) {
    const cluster = run.clusterOf(on.cluster);
    return { groups: on.groups.map((g) => g.map((i) => cluster.nameOf(i))) };
  }
  return {};
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
  pointStackAt(e, step.location);
  return e;
}
