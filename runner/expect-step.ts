// Runs one expectation step: picks the record the matcher needs (operation, watch, log, link,
// cluster) and hands it to Faultline's Playwright matchers.
import { test } from '@playwright/test';
import { formatMs } from '../dsl/duration.ts';
import type { OpRef, PlanStep } from '../dsl/plan.ts';
import { RunLookupError } from './errors.ts';
import { faultlineExpect } from './matchers/index.ts';
import { pollUntil } from './time/poll.ts';
import { connectionAttempts } from './proxy/link-records.ts';
import type { Run } from './run.ts';
import type { StartedCluster } from './cluster.ts';
import { checkWatchGuarantees, type WatchCheck } from './watch/watch-guarantees.ts';
import { claimedVsMeasured } from './matchers/to-retry-as-client-claims.ts';
import { peerExpectStep } from './peer-expect.ts';
import { describeElection, type LeaderObservation } from './matchers/to-have-leader.ts';

/** Extra expectation kinds contributed by later stages (consistency, data loss). */
export type ClusterCheck = (run: Run, step: Extract<PlanStep, { kind: 'expect' }>) => Promise<void>;

/** The last fault injected before now (its typed start record), for timed windows. */
function lastFault(run: Run): { fromMs: number; fromWhat: string } {
  const fault = run.events.events.findLast((e) => e.kind === 'fault.start');
  // Before any fault, from the start of the last cluster (its nodes' boot, e.g. a PD heartbeat).
  const started = fault ? undefined : [...run.events.events].reverse().find((e) => e.kind === 'cluster.start');
  const fromMs = fault?.t ?? started?.t ?? 0;
  const fromWhat = fault
    ? `"${fault.title}" at ${formatMs(fromMs)}`
    : started ? `the start of ${String(started.detail)} at ${formatMs(fromMs)}` : "the run's start";
  return { fromMs, fromWhat };
}

/** Checks one expectation of the plan. */
export async function expectStep(step: Extract<PlanStep, { kind: 'expect' }>, run: Run, checks: Record<string, ClusterCheck>): Promise<void> {
  const { subject, matcher, args } = step;
  if (subject.kind === 'cluster') {
    if (matcher === 'toHaveLeader') {
      const started = run.clock.now();
      const cluster = run.clusterOf(subject.cluster);
      const leader = await cluster.leader(args[0]);
      faultlineExpect(observeLeader(cluster, leader, args[0], run.clock.now() - started, run.clock.now())).toHaveLeader();
      return;
    }
    const check = checks[matcher];
    if (!check) throw new RunLookupError(`No check is registered for expect(cluster).${matcher}().`);
    return check(run, step);
  }
  if (subject.kind === 'log' && matcher === 'toContain') {
    const node = await run.resolve(subject.target);
    const [p, withinMs] = args;
    const re = typeof p === 'string' ? undefined : new RegExp(p.source, p.flags);
    const hit = (line: string) => (typeof p === 'string' ? line.includes(p) : re!.test(line));
    const { fromMs, fromWhat } = lastFault(run);
    const observe = () => {
      const lines = run.clusterOfNode(node).logLines(node);
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
  if (subject.kind === 'link' && (subject.link.peer || matcher === 'toRetryAsClaimed')) return peerExpectStep(step, run);
  if (subject.kind === 'link' && matcher === 'toSeeRetries') {
    const to = await run.resolve(subject.link.to);
    const from = await run.linkFrom(subject.link);
    const name = `${from} → ${to}`;
    const proxy = run.network.link(from, to);
    const [a] = args;
    const { fromMs, fromWhat } = lastFault(run);
    const observe = () => ({ link: name, fromMs, fromWhat, attempts: connectionAttempts(proxy.records, { from: fromMs }) });
    await pollUntil(async () => (await run.network.syncLinks(), observe().attempts.length >= a.min + 1 ? true : undefined), Math.max(0, fromMs + a.withinMs - run.clock.now()), [100, 250]);
    faultlineExpect(observe()).toSeeRetries(a);
    return;
  }
  if (subject.kind === 'watch' && (matcher === 'toEnd' || matcher === 'toReceiveAll')) {
    const w = run.watches.get(subject.watch.id);
    if (!w) throw new RunLookupError(`The watch on ${JSON.stringify(subject.watch.prefix)} was not opened.`);
    const check = () => checkWatchGuarantees(w.handle.recording, run.historyFor(w.spec.client), { prefix: subject.watch.prefix, resumes: w.handle.resumes });
    const done = matcher === 'toEnd' ? (c: WatchCheck) => c.ended !== undefined : (c: WatchCheck) => c.ok && c.notDelivered.length === 0;
    await pollUntil(async () => (done(check()) ? true : undefined), args[0], [50, 100, 250]);
    if (w.spec.using !== 'faultline') {
      const c = check();
      const claim = w.handle.resumes ? 'resumes from the last revision + 1' : 'does not resume (documented gap)';
      test.info().annotations.push({ type: 'subject', description: `${w.handle.name} (the service's own watch client): claimed ${claim}; measured ${c.delivered}/${c.expected.length} writes delivered, ${c.lost.length + c.notDelivered.length} missing, ${c.reconnects.length} reconnect(s)${c.ended ? `, ended: ${c.ended.kind}` : ''}` });
    }
    if (matcher === 'toEnd') faultlineExpect(check()).toEnd();
    else faultlineExpect(check()).toReceiveAll();
    return;
  }
  if (matcher === 'toRead' && subject.kind === 'client') {
    const endpoints = await run.endpoints(subject.client);
    const [key, value] = args;
    const get = { op: 'get' as const, key };
    const cluster = run.clientCluster(subject.client);
    const r = subject.client.under ? await run.executeUnderTest(get, subject.client.name, endpoints, subject.client.under, undefined, cluster) : await run.execute(get, subject.client.name, endpoints, subject.client.policy, run.wire(subject.client.id, cluster));
    faultlineExpect(r).toRead(value);
    return;
  }
  if (subject.kind !== 'op' && subject.kind !== 'client') throw new RunLookupError(`${matcher}() does not apply to a ${subject.kind}.`);
  const op = subject.kind === 'op' ? subject.op : (subject as { op?: OpRef }).op!;
  const record = await run.result(op.id);
  if (matcher === 'toRetryAsClientClaims') {
    const cluster = run.clientCluster(op.client);
    const config = run.clientConfig(cluster.service, op.client.under!);
    const observation = { record, client: config.name, service: config.service, claims: config.claims, tolerance: args[0].tolerance };
    // The subject judged and both sides, for the Allure step and the gap-matrix cell.
    test.info().annotations.push({ type: 'subject', description: claimedVsMeasured(observation).line });
    faultlineExpect(observation).toRetryAsClientClaims();
  } else if (matcher === 'toRetry') faultlineExpect(record).toRetry(args[0], op.client.policy);
  else if (matcher === 'toSucceed') faultlineExpect(record).toSucceed();
  else if (matcher === 'toFail') faultlineExpect(record).toFail(args[0]);
  else throw new RunLookupError(`Unknown matcher ${matcher}() for an operation.`);
}

/** What toHaveLeader reports: the leader, when it was elected (its log, else the poll), the deadline, every node's state. */
export function observeLeader(cluster: StartedCluster, leader: string | undefined, withinMs: number, tookMs: number, seenAt?: number): LeaderObservation {
  const states = Object.fromEntries(cluster.names.map((n) => [n, cluster.state(n)]));
  const e = leader ? cluster.electionOf(leader) : undefined;
  const elected = e ? { t: e.t, source: e.source ?? 'poll', ...(e.term !== undefined ? { term: e.term } : {}) } : undefined;
  const observation: LeaderObservation = { leader, withinMs, tookMs, states, ...(elected ? { elected } : {}), ...(seenAt !== undefined ? { seenAt } : {}) };
  // The step says when the leader was elected, by whose word: beside the step in the report and in Allure.
  if (leader) test.info().annotations.push({ type: 'leader', description: `${leader} leads: ${describeElection(observation)}` });
  return observation;
}
