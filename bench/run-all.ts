// `npm run bench`: every benchmark, each a ratio measured in the same run; writes bench/results.md.
import fs from 'node:fs';
import os from 'node:os';
import { run as checker } from './checker.bench.ts';
import { run as checkerScale } from './checker-scale.bench.ts';
import { run as cliStartup } from './cli-startup.bench.ts';
import { run as clusterStart } from './cluster-start.bench.ts';
import { run as faultLatency } from './fault-latency.bench.ts';
import { run as proxy } from './proxy.bench.ts';
import { run as scenarios } from './scenarios.bench.ts';
import type { BenchResult } from './harness.ts';

const rows: BenchResult[] = [];
const log = (r: BenchResult) => {
  rows.push(r);
  console.log(`${r.met ? 'ok  ' : 'MISS'} ${r.name}: ${r.ratio.toFixed(3)} (goal ${r.goal}) — ${r.detail}`);
};

log(await clusterStart());
log(await faultLatency());
for (const r of await scenarios()) log(r);
const p = await proxy();
console.log(JSON.stringify(p));
const c = await checker();
console.log(JSON.stringify(c));
for (const r of await cliStartup()) log(r);
for (const r of await checkerScale()) log(r);

const md = [
  `# Benchmark results`,
  ``,
  `Measured ${new Date().toISOString()} on ${os.cpus().length} cores, ${os.type()} ${os.release()}, Node ${process.version}. Each ratio compares two things measured in this same run.`,
  ``,
  `| benchmark | ratio | goal | met | detail |`,
  `|---|---|---|---|---|`,
  ...rows.map((r) => `| ${r.name} | ${r.ratio.toFixed(3)} | ${r.goal} | ${r.met ? 'yes' : 'no'} | ${r.detail.replace(/\|/g, '\\|')} |`),
  ``,
  `## Fault proxy overhead`,
  ``,
  '```json',
  JSON.stringify(p, null, 2),
  '```',
  ``,
  `## Checker speed`,
  ``,
  '```json',
  JSON.stringify(c, null, 2),
  '```',
  ``,
].join('\n');
fs.writeFileSync(new URL('./results.md', import.meta.url), md);
console.log('wrote bench/results.md');
