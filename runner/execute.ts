// Turns each plan step into one boxed Playwright step whose title names the resolved nodes.
import { test } from '@playwright/test';
import { formatMs } from '../dsl/duration.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpRef, Plan, PlanStep } from '../dsl/plan.ts';
import type { ToFailArgs, ToRetryArgs } from '../dsl/expect.ts';
import { nodeVerbTitle, resolvedLabel } from '../dsl/titles.ts';
import { OperationError } from './errors.ts';
import { faultlineExpect } from './matchers/index.ts';
import type { Run } from './run.ts';
import { pollUntil } from './poll.ts';
import { connectionAttempts } from './proxy/link-records.ts';
import { checkWatchGuarantees, type WatchCheck } from './watch/watch-guarantees.ts';
import { preflight, type PlanNeeds } from './preflight.ts';
import { RunNetwork } from './network.ts';

/** Extra expectation kinds contributed by later stages (consistency, data loss). */
export type ClusterCheck = (run: Run, step: Extract<PlanStep, { kind: 'expect' }>) => Promise<void>;

/** Executes every step of a plan inside the current test. */
export async function executePlan(plan: Plan, run: Run, clusterChecks: Record<string, ClusterCheck> = {}): Promise<void> {
  const needs = preflight(plan);
  for (const step of plan.steps) {
    let title = step.title;
    let node: string | undefined;
    let resolveError: unknown;
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
          throw pointAtSpec(e, step);
        }
      },
      { location: step.location },
    );
  }
}

async function runStep(step: PlanStep, run: Run, node: string | undefined, checks: Record<string, ClusterCheck>, needs: PlanNeeds): Promise<void> {
  switch (step.kind) {
    case 'cluster.start':
      await run.startCluster({ nodes: step.nodes, heartbeatMs: step.heartbeatMs, electionMs: step.electionMs, ...needs });
      return;
    case 'net':
      if (step.verb === 'block') await run.network.block(node!, Object.values(run.cluster.nodeSpec(node!).ports), step.via);
      else if (step.verb === 'unblock') await run.network.unblock(node!);
      else await run.network.partitionNodes(run.cluster, [[node!], run.cluster.names.filter((n) => n !== node)], 'isolate');
      return;
    case 'partition':
      await run.network.partitionNodes(run.cluster, step.groups.map((g) => g.map((i) => `node-${i}`)), 'partition');
      return;
    case 'heal':
      await run.network.heal();
      return;
    case 'cluster.waitForLeader': {
      const leader = await run.cluster.leader(step.withinMs);
      faultlineExpect(observeLeader(run, leader, step.withinMs, 0)).toHaveLeader();
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
      await run.startDependent(step.dependent, step.name, needs.linkedDependents.has(step.name));
      return;
    case 'link.fault': {
      const to = await run.resolve(step.link.to);
      await run.network.linkFault(step.link.from, to, step.fault, step.title);
      return;
    }
    case 'link.heal':
      await run.network.linkHeal(step.link.from, await run.resolve(step.link.to));
      return;
    case 'link.cut':
      run.network.link(step.link.from, await run.resolve(step.link.to)).cut();
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
  const c = run.cluster;
  if (verb === 'kill') await c.kill(node);
  else if (verb === 'term') await c.term(node);
  else if (verb === 'pause') c.pause(node);
  else if (verb === 'resume') c.resume(node);
  else if (verb === 'start') await c.startNode(node);
  else if (verb === 'restart') await c.restart(node);
}

async function expectStep(step: Extract<PlanStep, { kind: 'expect' }>, run: Run, checks: Record<string, ClusterCheck>): Promise<void> {
  const { subject, matcher, args } = step;
  if (subject.kind === 'cluster') {
    if (matcher === 'toHaveLeader') {
      const started = run.clock.now();
      const leader = await run.cluster.leader(args[0] as number);
      faultlineExpect(observeLeader(run, leader, args[0] as number, run.clock.now() - started)).toHaveLeader();
      return;
    }
    const check = checks[matcher];
    if (!check) throw new Error(`No check is registered for expect(cluster).${matcher}().`);
    return check(run, step);
  }
  if (subject.kind === 'log') {
    const node = await run.resolve(subject.target);
    const [p, withinMs] = args as [string | { source: string; flags: string }, number];
    const re = typeof p === 'string' ? undefined : new RegExp(p.source, p.flags);
    const hit = (line: string) => (re ? re.test(line) : line.includes(p as string));
    const fault = [...run.events.events].reverse().find((e) => (e.kind === 'signal' && e.detail !== 'SIGCONT') || e.kind === 'fault.start');
    const fromMs = fault?.t ?? 0;
    const fromWhat = fault ? `${fault.kind === 'signal' ? `${fault.detail} to ${fault.node}` : String(fault.detail)} at ${formatMs(fromMs)}` : 'the run\'s start';
    const observe = () => {
      const lines = run.cluster.logLines(node);
      const inWindow = lines.filter((l) => l.t >= fromMs && l.t <= fromMs + withinMs);
      return { node, pattern: re ? String(re) : JSON.stringify(p), fromMs, withinMs, fromWhat, matches: inWindow.filter((l) => hit(l.line)), lastLines: lines.slice(-8) };
    };
    const left = fromMs + withinMs - run.clock.now();
    await pollUntil(async () => (observe().matches.length ? true : undefined), Math.max(0, left), [50, 100, 250]);
    const seen = observe();
    if (seen.matches.length) await test.info().attach(`log-${node}-matches.txt`, { body: seen.matches.map((l) => `${formatMs(l.t)} (+${formatMs(l.t - fromMs)}): ${l.line}`).join('\n'), contentType: 'text/plain' });
    faultlineExpect(seen).toContainLogLine();
    return;
  }
  if (subject.kind === 'link') {
    const to = await run.resolve(subject.link.to);
    const name = `${subject.link.from} → ${to}`;
    const proxy = run.network.link(subject.link.from, to);
    const a = args[0] as ToRetryArgs & { withinMs: number };
    const fault = [...run.events.events].reverse().find((e) => (e.kind === 'signal' && e.detail !== 'SIGCONT') || e.kind === 'fault.start');
    const fromMs = fault?.t ?? 0;
    const fromWhat = fault ? `${fault.kind === 'signal' ? `${fault.detail} to ${fault.node}` : String(fault.detail)} at ${formatMs(fromMs)}` : "the run's start";
    const observe = () => ({ link: name, fromMs, fromWhat, attempts: connectionAttempts(proxy.records, { from: fromMs }) });
    await pollUntil(async () => (observe().attempts.length >= a.min + 1 ? true : undefined), Math.max(0, fromMs + a.withinMs - run.clock.now()), [100, 250]);
    faultlineExpect(observe()).toSeeRetries(a);
    return;
  }
  if (subject.kind === 'watch') {
    const w = run.watches.get(subject.watch.id);
    if (!w) throw new Error(`The watch on ${JSON.stringify(subject.watch.prefix)} was not opened.`);
    const check = () => checkWatchGuarantees(w.handle.recording, run.history, { prefix: subject.watch.prefix, resumes: w.handle.resumes });
    const done = matcher === 'toEnd' ? (c: WatchCheck) => c.ended !== undefined : (c: WatchCheck) => c.ok && c.notDelivered.length === 0;
    await pollUntil(async () => (done(check()) ? true : undefined), args[0] as number, [50, 100, 250]);
    if (matcher === 'toEnd') faultlineExpect(check()).toEnd();
    else faultlineExpect(check()).toReceiveAll();
    return;
  }
  if (matcher === 'toRead' && subject.kind === 'client') {
    const endpoints = await run.endpoints(subject.client);
    const get = { op: 'get' as const, key: args[0] as string };
    const r = subject.client.under ? await run.executeUnderTest(get, subject.client.name, endpoints, subject.client.under) : await run.execute(get, subject.client.name, endpoints, subject.client.policy);
    faultlineExpect(r).toHaveRead(args[1] as string | null);
    return;
  }
  const op = subject.kind === 'op' ? subject.op : (subject as { op?: OpRef }).op!;
  const record = await run.result(op.id);
  if (matcher === 'toRetry') faultlineExpect(record).toRetry(args[0] as ToRetryArgs, op.client.policy);
  else if (matcher === 'toSucceed') faultlineExpect(record).toSucceed();
  else if (matcher === 'toFail') faultlineExpect(record).toFail(args[0] as ToFailArgs);
  else throw new Error(`Unknown matcher ${matcher}() for an operation.`);
}

/** The runtime title of a network step names the node and the backend really used. */
function netTitle(step: Extract<PlanStep, { kind: 'net' }>, label: string, run: Run, node: string): string {
  if (step.verb === 'unblock') return `unblock ${label}`;
  if (step.verb === 'isolate') return `isolate ${label} from ${run.cluster.names.filter((n) => n !== node).join(', ')} (both directions, iptables owner match)`;
  const ports = Object.values(run.cluster.nodeSpec(node).ports).join(',');
  return RunNetwork.backend(step.via) === 'iptables'
    ? `block ${label} via iptables: -A INPUT -p tcp --dport ${ports} -j DROP`
    : `block ${label} via the fault proxy: client link blackholed (peer links untouched)`;
}

/** Like a boxed step, but pointing at the spec line that recorded the verb, not at the runner. */
function pointAtSpec(e: unknown, step: PlanStep): unknown {
  if (!(e instanceof Error) || !step.location || process.env.FAULTLINE_DEBUG) return e;
  const { file, line, column } = step.location;
  e.stack = `${e.name}: ${e.message}\n    at ${file}:${line}:${column}`;
  return e;
}

function observeLeader(run: Run, leader: string | undefined, withinMs: number, tookMs: number) {
  const states = Object.fromEntries(run.cluster.names.map((n) => [n, run.cluster.state(n)]));
  return { leader, withinMs, tookMs, states };
}
