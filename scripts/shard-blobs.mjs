// Finds the blob reports of a sharded run and checks they are one whole run: every shard 1..n of one n,
// each once. A merge of a part would show the missing shard's tests as "not run", quietly.

import fs from 'node:fs';
import path from 'node:path';

const NAMED = /^report-(\d+)-of-(\d+)\.zip$/;

/** Every .zip under `inputs` (folders searched at any depth, files taken as they are), sorted; nothing under `skip` (the merge's own folder). */
export function findBlobs(inputs, skip) {
  const found = [];
  const walk = (p) => {
    if (skip && path.resolve(p) === path.resolve(skip)) return;
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new Error(`"${p}" does not exist.\n  Fix: pass the folder the shards' blob reports were downloaded to (default blob-report/).`);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (p.endsWith('.zip')) found.push(p);
  };
  for (const input of inputs) walk(input);
  return found;
}

/**
 * What the blobs hold, by their names (report-<i>-of-<n>.zip, as playwright.config.ts names a shard's):
 * `problems` names every missing, repeated or foreign shard and the fix; `unnamed` are blobs written by
 * another reporter setting (`--reporter=blob`), whose shard cannot be told from the name.
 */
export function checkShardSet(files) {
  const shards = new Map();
  const totals = new Set();
  const unnamed = [];
  for (const file of files) {
    const m = NAMED.exec(path.basename(file));
    if (!m) {
      unnamed.push(file);
      continue;
    }
    const [current, total] = [Number(m[1]), Number(m[2])];
    totals.add(total);
    shards.set(`${current}/${total}`, [...(shards.get(`${current}/${total}`) ?? []), file]);
  }
  const problems = [];
  if (totals.size > 1) {
    problems.push(`The blobs come from runs split ${[...totals].sort((a, b) => a - b).map((t) => `${t} ways`).join(' and ')}: ${[...shards.values()].flat().join(', ')}.\n  Fix: merge the blobs of one run only (remove the other run's, e.g. an old blob-report/shard-*-of-* folder).`);
  }
  for (const total of totals) {
    const missing = [];
    for (let i = 1; i <= total; i++) if (!shards.has(`${i}/${total}`)) missing.push(i);
    if (missing.length) problems.push(`Shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${total} ${missing.length > 1 ? 'are' : 'is'} missing: its tests would show as "not run" in the gap matrix.\n  Fix: download every shard's blob report (blob-report/shard-<i>-of-${total}/) into the folder, or pass --partial to merge what is there.`);
  }
  for (const [shard, list] of shards) {
    if (list.length > 1) problems.push(`Shard ${shard.replace('/', ' of ')} is there ${list.length} times: ${list.join(', ')}.\n  Fix: keep one blob per shard (the others are from another run, or a rerun of the shard).`);
  }
  return { problems, unnamed, total: [...totals][0] };
}
