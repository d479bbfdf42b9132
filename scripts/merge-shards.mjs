#!/usr/bin/env node
// `npm run merge`: the shards' blob reports → one run's reports — the JSON report, the Allure results
// and the gap matrix, through `playwright merge-reports` and the config's own reporters — then the
// Allure HTML report as `npm start` builds it. Checks first that the blobs are every shard of one run.
//   node scripts/merge-shards.mjs [folders or .zip files (default blob-report)] [--partial] [--config <file>] [--work-dir <dir>] [--no-report]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkShardSet, findBlobs } from './shard-blobs.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const valueOf = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const config = valueOf('--config', 'playwright.config.ts');
// merge-reports unpacks the blobs into the folder it reads, and the JSON report points at attachments there: kept until the next merge.
const workDir = valueOf('--work-dir', 'test-results/merge-input');
const valued = new Set(['--config', '--work-dir'].filter((n) => args.includes(n)).map((n) => args.indexOf(n) + 1));
const inputs = args.filter((a, i) => !a.startsWith('--') && !valued.has(i));
const ownConfig = path.resolve(config) === path.resolve('playwright.config.ts');

function fail(message) {
  process.stderr.write(`merge-shards: ${message}\n`);
  process.exit(1);
}

let blobs;
try {
  blobs = findBlobs(inputs.length ? inputs : ['blob-report'], workDir);
} catch (error) {
  fail(error.message);
}
if (!blobs.length) fail(`no blob report (.zip) in ${(inputs.length ? inputs : ['blob-report']).join(', ')}.\n  Fix: run the shards first (npx playwright test --shard=1/2 …), and download every shard's blob-report/ here.`);
const { problems, unnamed, total } = checkShardSet(blobs);
if (problems.length && !flag('--partial')) fail(problems.join('\n'));
for (const p of problems) process.stderr.write(`merge-shards: --partial: ${p.split('\n')[0]}\n`);
if (unnamed.length) process.stderr.write(`merge-shards: cannot tell the shard of ${unnamed.join(', ')} from its name (written with --reporter=blob?): merged as given, not checked.\n`);
process.stdout.write(`Merging ${blobs.length} blob report${blobs.length > 1 ? 's' : ''}${total ? ` (${total} shards)` : ''} with the reporters of ${config}\n`);

fs.rmSync(workDir, { recursive: true, force: true });
fs.mkdirSync(workDir, { recursive: true });
const dir = path.resolve(workDir);
blobs.forEach((b, i) => fs.copyFileSync(b, path.join(dir, `${String(i).padStart(3, '0')}-${path.basename(b)}`)));
if (ownConfig) for (const d of ['allure-results', 'gap-matrix']) fs.rmSync(d, { recursive: true, force: true });

const status = spawnSync('npx', ['playwright', 'merge-reports', '-c', config, dir], { stdio: 'inherit' }).status ?? 1;
if (status !== 0) process.exit(status);
if (ownConfig && !flag('--no-report')) process.exit(spawnSync('node', ['scripts/report.mjs'], { stdio: 'inherit' }).status ?? 1);
