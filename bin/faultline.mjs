#!/usr/bin/env node
// Entry of `npx faultline`: `check` runs precompiled JavaScript so it starts like a tool; the other
// commands load the TypeScript CLI through tsx. A failure inside is exit 2 with what happened, never a verdict.
import fs from 'node:fs';

const args = process.argv.slice(2);
const bundle = new URL('../.faultline/cli/check.mjs', import.meta.url);
const inputs = new URL('../.faultline/cli/check.inputs.json', import.meta.url);

function internal(error) {
  process.stderr.write(`faultline: internal error: ${error?.stack ?? error}\n  This is a bug in Faultline, not a verdict (exit 2). Fix: report it with the command line and input.\n`);
  process.exit(2);
}
process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);

/** True when the compiled check exists and none of its sources changed after it was built. */
function fresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const root = new URL('../', import.meta.url);
    return JSON.parse(fs.readFileSync(inputs, 'utf8')).every((p) => fs.statSync(new URL(p, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** The compiled `runCheck`, rebuilt first when missing or stale; undefined (with the reason said) when it cannot be built. */
async function compiledCheck() {
  if (!fresh()) {
    try {
      await (await import('../scripts/build-cli.mjs')).buildCli();
    } catch (error) {
      process.stderr.write(
        `faultline: the compiled check command (.faultline/cli/check.mjs) is missing or out of date and cannot be built (${error.message}).\n` +
          '  Running the TypeScript sources through tsx instead: slower to start.\n  Fix: run `npm run bootstrap` (it installs esbuild and compiles the CLI).\n',
      );
      return undefined;
    }
  }
  return (await import(bundle.href)).runCheck;
}

try {
  const runCheck = args[0] === 'check' ? await compiledCheck() : undefined;
  if (runCheck) process.exitCode = await runCheck(args.slice(1));
  else {
    const { register } = await import('tsx/esm/api');
    register();
    const { main } = await import('../cli/main.ts');
    process.exitCode = await main(args);
  }
} catch (error) {
  internal(error);
}
