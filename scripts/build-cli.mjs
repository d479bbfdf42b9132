#!/usr/bin/env node
// Compiles `faultline check` ahead of time into one JavaScript module, so the command starts like a tool
// (no TypeScript transpiling per call). Run by scripts/bootstrap.mjs after `npm ci`, and by bin/faultline.mjs
// when its sources changed since; needs esbuild (installed with tsx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the compiled command and the list of sources it was built from live (git-ignored). */
export const BUNDLE = path.join(root, '.faultline', 'cli', 'check.mjs');
export const INPUTS = path.join(root, '.faultline', 'cli', 'check.inputs.json');

/** Bundles cli/check.ts and what it imports; writes through temp files and renames, so concurrent callers never read half a file. */
export async function buildCli() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'cli', 'check.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    outfile: BUNDLE,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(root, p)));
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  const tag = `${process.pid}-${Date.now()}`;
  const code = result.outputFiles.find((f) => f.path === BUNDLE) ?? result.outputFiles[0];
  fs.writeFileSync(`${BUNDLE}.${tag}`, code.contents);
  fs.writeFileSync(`${INPUTS}.${tag}`, JSON.stringify(inputs));
  fs.renameSync(`${INPUTS}.${tag}`, INPUTS);
  fs.renameSync(`${BUNDLE}.${tag}`, BUNDLE);
  return { bundle: BUNDLE, inputs };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  try {
    const { bundle, inputs } = await buildCli();
    process.stderr.write(`[build-cli] ${path.relative(root, bundle)} from ${inputs.length} sources\n`);
  } catch (error) {
    process.stderr.write(`[build-cli] error: cannot compile the check command: ${error.message}\n  Fix: run npm ci so that node_modules/esbuild exists.\n`);
    process.exitCode = 1;
  }
}
