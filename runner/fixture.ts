// The Playwright fixtures behind every scenario test: a port range per worker, a Run per test,
// and a teardown that kills every process and attaches the evidence, pass or fail.
import fs from 'node:fs';
import path from 'node:path';
import { test as base, type TestInfo } from '@playwright/test';
import { PortAllocator, workerPortBase } from './ports.ts';
import { Run } from './run.ts';
import { checkWatchGuarantees } from './watch/watch-guarantees.ts';
import { docGapAnnotation } from './doc-gap.ts';
import { attachRecord, readRecords, recordInfrastructure } from './reporter-records.ts';
import { DocGapNotConfirmedError } from './doc-gap-run.ts';
import { watchdogForThisProcess, type WatchdogClient } from './watchdog/index.ts';
import { settleNodeDataDir } from './node-data-dir.ts';
import { HostSet } from './hosts/host-set.ts';
import type { ServiceDefinition } from './contract/service.ts';

/** Extra evidence for a closed run (e.g. the timeline picture), contributed by report/. */
export type EvidenceHook = (run: Run, testInfo: TestInfo, endMs: number) => Promise<void>;

/** Opens runs for the current test; all of them are closed at the test's end. */
export interface RunFactory {
  /** `services`: every definition by name, for the other clusters a scenario starts (e.g. ChainFire as PD). */
  open(service: ServiceDefinition, options?: { evidence?: EvidenceHook; services?: Record<string, ServiceDefinition> }): Run;
}

/** Playwright's test with Faultline's fixtures. */
export const test = base.extend<{ faultline: RunFactory }, { faultlinePorts: PortAllocator; faultlineWatchdog: WatchdogClient; faultlineHosts: HostSet | undefined }>({
  // Locked for the worker's life: no other run takes them, not even between a node's kill and restart.
  faultlinePorts: [
    async ({}, use, workerInfo) => {
      const ports = new PortAllocator(workerPortBase(workerInfo.parallelIndex, undefined, workerInfo.config.shard, workerInfo.config.workers));
      await use(ports);
      await ports.close();
    },
    { scope: 'worker' },
  ],
  // One reaper per worker: when the worker dies in any way, it kills what the worker's runs left.
  // Its log goes to the project's output dir, and only when it had to clean up: test-results/, not /tmp.
  faultlineWatchdog: [async ({}, use, workerInfo) => use(await watchdogForThisProcess({ logFile: path.join(workerInfo.project.outputDir, `watchdog-${process.pid}.log`), logOnlyWhenCleaned: true })), { scope: 'worker' }],
  // A hosts project (metadata.hosts: "lab:3" or a hosts file): the worker's hosts, connected once, each with its reaper.
  faultlineHosts: [
    async ({ faultlineWatchdog }, use, workerInfo) => {
      const spec = (workerInfo.project.metadata as { hosts?: string } | undefined)?.hosts;
      if (!spec) return use(undefined);
      const hosts = await HostSet.open(spec, { guard: faultlineWatchdog });
      try {
        await use(hosts);
      } finally {
        await hosts.close();
      }
    },
    { scope: 'worker' },
  ],
  faultline: async ({ faultlinePorts, faultlineWatchdog, faultlineHosts }, use, testInfo) => {
    const runs: Run[] = [];
    const hooks = new Map<Run, EvidenceHook | undefined>();
    await use({
      open(service, options = {}) {
        const dir = testInfo.outputPath(runs.length ? `run-${runs.length + 1}` : 'run');
        fs.mkdirSync(dir, { recursive: true });
        const run = new Run(service, dir, faultlinePorts, faultlineWatchdog, options.services, faultlineHosts);
        runs.push(run);
        hooks.set(run, options.evidence);
        return run;
      },
    });
    const errors: unknown[] = [];
    const settle = (stage: () => Promise<unknown> | undefined) => Promise.resolve().then(stage).catch((e: unknown) => void errors.push(e));
    for (const run of runs) {
      // The scenario ends here: the teardown's kills are not part of its timeline.
      const end = run.clock.now();
      await settle(() => run.close());
      await settle(() => attachEvidence(run, testInfo));
      await settle(() => hooks.get(run)?.(run, testInfo, end));
      // Moved into the output dir for a failed test (its evidence), removed for a passing one: never left in /tmp.
      const keep = testInfo.status !== testInfo.expectedStatus;
      for (const d of run.tempDirs) await settle(() => settleNodeDataDir(d, keep));
      await settle(() => run.settleHostDataDirs(keep));
    }
    // Every process of the test is gone: its ports (still locked) serve the worker's next test.
    faultlinePorts.recycle();
    for (const e of errors) await recordInfrastructure(testInfo, e);
    const why = await unexpectFailureWithoutVerdict(testInfo, errors);
    if (why && errors.length) throw new DocGapNotConfirmedError(runs[0]!.service.name, errors[0], why);
    if (errors.length) throw errors[0];
  },
});

/**
 * A test expected to fail (DOC-GAP) that failed with no verdict from runDocGap (its steps passed and the
 * teardown threw, or it failed outside the plan's steps) has not shown the gap: red, with why (returned).
 */
async function unexpectFailureWithoutVerdict(testInfo: TestInfo, teardownErrors: readonly unknown[]): Promise<string | undefined> {
  if (testInfo.expectedStatus !== 'failed' || readRecords(testInfo.attachments).docGap) return undefined;
  if (!teardownErrors.length && testInfo.status !== 'failed') return undefined;
  const why = !teardownErrors.length
    ? "the test failed outside the scenario's steps, so no step showed the gap"
    : `the scenario gave no verdict on the gap (${testInfo.status === 'passed' ? 'its steps passed' : 'it did not fail in a step'}); the test failed in its teardown: ${headline(teardownErrors[0])}`;
  const verdict = { confirmed: false, why };
  testInfo.annotations.push(docGapAnnotation(verdict));
  await attachRecord(testInfo, 'docGap', verdict);
  // Playwright reads expectedStatus when the test ends, after the fixtures' teardown.
  testInfo.expectedStatus = 'passed';
  return why;
}

function headline(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}

/** Node logs, the client's attempt records and the event record, on every test. */
async function attachEvidence(run: Run, testInfo: TestInfo): Promise<void> {
  const files = fs.existsSync(run.dir) ? fs.readdirSync(run.dir) : [];
  for (const file of files.filter((f) => f.endsWith('.log')).sort()) {
    // A body, not a path: a passing test's output dir is removed before reporters read paths.
    await testInfo.attach(file, { body: fs.readFileSync(path.join(run.dir, file)), contentType: 'text/plain' });
  }
  const history = [...run.history].sort((a, b) => a.invoke - b.invoke);
  await testInfo.attach('history.jsonl', { body: history.map((r) => JSON.stringify(r)).join('\n') + '\n', contentType: 'application/x-ndjson' });
  const attempts = history.flatMap((r) => r.attempts.map((a) => ({ op: r.id, process: r.process, ...(r.cluster ? { cluster: r.cluster } : {}), kind: r.op, key: r.key, ...a })));
  await testInfo.attach('attempts.json', { body: JSON.stringify(attempts, null, 2), contentType: 'application/json' });
  for (const { spec, handle } of run.watches.values()) {
    const check = checkWatchGuarantees(handle.recording, run.historyFor(spec.client), { prefix: spec.prefix, resumes: handle.resumes });
    await testInfo.attach(`watch-${spec.using}.json`, { body: JSON.stringify(handle.recording, null, 2), contentType: 'application/json' });
    await testInfo.attach(`watch-${spec.using}-check.txt`, { body: check.describe(), contentType: 'text/plain' });
  }
  const links = await run.network.linkRecords();
  if (Object.keys(links).length) await testInfo.attach('links.json', { body: JSON.stringify(links, null, 2), contentType: 'application/json' });
  await testInfo.attach('events.json', { body: JSON.stringify({ clockOrigin: run.clock.originWallTime, events: run.events.events }, null, 2), contentType: 'application/json' });
}
