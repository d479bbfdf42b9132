#!/usr/bin/env node
// `npm run merge`: the shards' blob reports → one run's reports — the JSON report, the Allure results
// and the gap matrix, through `playwright merge-reports` and the config's own reporters — then the
// Allure HTML report as `npm start` builds it. Checks first that the blobs are every shard of one run.
//   node scripts/merge-shards.mjs [folders or .zip files (default blob-report)] [--partial] [--config <file>] [--no-report]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkShardSet, findBlobs } from './shard-blobs.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const configAt = args.indexOf('--config');
const config = configAt >= 0 ? args[configAt + 1] : 'playwright.config.ts';
const inputs = args.filter((a, i) => !a.startsWith('--') && !(configAt >= 0 && i === configAt + 1));
const ownConfig = path.resolve(config) === path.resolve('playwright.config.ts');

function fail(message) {
  process.stderr.write(`merge-shards: ${message}\n`);
  process.exit(1);
}

let blobs;
try {
  blobs = findBlobs(inputs.length ? inputs : ['blob-report']);
} catch (error) {
  fail(error.message);
}
if (!blobs.length) fail(`no blob report (.zip) in ${(inputs.length ? inputs : ['blob-report']).join(', ')}.\n  Fix: run the shards first (npx playwright test --shard=1/2 …), and download every shard's blob-report/ here.`);
const { problems, unnamed, total } = checkShardSet(blobs);
if (problems.length && !flag('--partial')) fail(problems.join('\n'));
for (const p of problems) process.stderr.write(`merge-shards: --partial: ${p.split('\n')[0]}\n`);
if (unnamed.length) process.stderr.write(`merge-shards: cannot tell the shard of ${unnamed.join(', ')} from its name (written with --reporter=blob?): merged as given, not checked.\n`);
process.stdout.write(`Merging ${blobs.length} blob report${blobs.length > 1 ? 's' : ''}${total ? ` (${total} shards)` : ''} with the reporters of ${config}\n`);

// merge-reports unpacks into the folder it reads: a folder of our own, with unique names, removed afterwards.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-merge-'));
blobs.forEach((b, i) => fs.copyFileSync(b, path.join(dir, `${String(i).padStart(3, '0')}-${path.basename(b)}`)));
if (ownConfig) for (const d of ['allure-results', 'gap-matrix']) fs.rmSync(d, { recursive: true, force: true });

const child = spawn('npx', ['playwright', 'merge-reports', '-c', config, dir], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
fs.rmSync(dir, { recursive: true, force: true });
if (status !== 0) process.exit(status);
if (ownConfig && !flag('--no-report')) process.exit(spawnSync('node', ['scripts/report.mjs'], { stdio: 'inherit' }).status ?? 1);
