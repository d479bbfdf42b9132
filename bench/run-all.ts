// `npm run bench [name…]`: every benchmark (or the named ones), each a ratio measured in the same run;
// each writes its own section of bench/results.md, stamped with when and where it ran, so rerunning
// one bench keeps the others' last figures.
import fs from 'node:fs';
import os from 'node:os';
import { run as checker } from './checker.bench.ts';
import { run as checkerScale } from './checker-scale.bench.ts';
import { run as cliStartup } from './cli-startup.bench.ts';
import { run as clusterStart } from './cluster-start.bench.ts';
import { run as driver } from './driver.bench.ts';
import { run as faultLatency } from './fault-latency.bench.ts';
import { run as hosts } from './hosts.bench.ts';
import { BenchError, type BenchResult } from './harness.ts';
import { run as proxy } from './proxy.bench.ts';
import { run as peerLinks } from './peer-links.bench.ts';
import { run as scenarios } from './scenarios.bench.ts';
import { run as workload } from './workload.bench.ts';

const RESULTS = new URL('./results.md', import.meta.url);

const log = (r: BenchResult) => console.log(`${r.met ? 'ok  ' : 'MISS'} ${r.name}: ${r.ratio.toFixed(3)} (goal ${r.goal}) — ${r.detail}`);
const table = (rows: BenchResult[]) => {
  rows.forEach(log);
  return ['| benchmark | ratio | goal | met | detail |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.name} | ${r.ratio.toFixed(3)} | ${r.goal} | ${r.met ? 'yes' : 'no'} | ${r.detail.replace(/\|/g, '\\|')} |`)].join('\n');
};
const json = (value: unknown) => {
  console.log(JSON.stringify(value));
  return ['```json', JSON.stringify(value, null, 2), '```'].join('\n');
};

/** Each bench: its section title and what it writes there. */
const BENCHES: Record<string, { title: string; run: () => Promise<string> }> = {
  'cluster-start': { title: 'Cluster start: the harness share', run: async () => table([await clusterStart()]) },
  'fault-latency': { title: 'Fault latency: the harness share', run: async () => table([await faultLatency()]) },
  workload: { title: 'Workload throughput against a bare grpc-js loop', run: async () => table([await workload()]) },
  scenarios: { title: 'Scenario suite: parallel speed-up and overhead', run: async () => table(await scenarios()) },
  proxy: { title: 'Fault proxy overhead', run: async () => json(await proxy()) },
  checker: { title: 'Checker speed', run: async () => json(checker()) },
  'cli-startup': { title: 'faultline check: start-up, and 100 files in one call', run: async () => table(await cliStartup()) },
  'checker-scale': { title: 'Checker at scale: 150k and 1M operations, ghost reads, beside Porcupine', run: async () => table(await checkerScale()) },
  'peer-links': { title: 'Peer links: added latency and cluster start', run: async () => table(await peerLinks()) },
  driver: { title: 'Driver client: added latency per call over the library it wraps', run: async () => table([await driver()]) },
  hosts: { title: 'SSH hosts (namespace lab): kill() over the master, and cluster start', run: async () => table(await hosts()) },
};

const asked = process.argv.slice(2);
const unknown = asked.find((n) => !(n in BENCHES));
if (unknown) throw new BenchError(`There is no bench "${unknown}".\n  Fix: name one of ${Object.keys(BENCHES).join(', ')}, or none to run them all.`);

let md = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
if (!md.includes('<!-- bench:')) md = `# Benchmark results\n\nEach section is written by \`npm run bench [name]\`; each ratio compares two things measured in that same run.\n`;
for (const name of asked.length ? asked : Object.keys(BENCHES)) {
  const { title, run } = BENCHES[name]!;
  const body = await run();
  const section = `<!-- bench:${name} -->\n## ${title}\n\nMeasured ${new Date().toISOString()} on ${os.cpus().length} cores (load average ${os.loadavg()[0]!.toFixed(1)} at the end), ${os.type()} ${os.release()}, Node ${process.version}.\n\n${body}\n<!-- /bench:${name} -->`;
  const existing = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  md = existing.test(md) ? md.replace(existing, () => section) : `${md.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(RESULTS, md);
}
console.log('wrote bench/results.md');
