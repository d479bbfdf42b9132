// Starts a worker thread on a TypeScript module. Why: Node 20 gives a worker none of its parent's
// loader hooks (Playwright's or tsx's), so the worker registers tsx itself before importing the module.
import { Worker } from 'node:worker_threads';
import { ProxyError } from './proxy-error.ts';

/** A worker running `module` (a file: URL of a .ts file) with `data` as its workerData. */
export function startTsWorker(module: URL, data: unknown): Worker {
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch (e) {
    throw new ProxyError(`Cannot start the worker ${module.pathname}: the "tsx" package is not installed, and a worker needs it to load TypeScript.\n  Fix: npm install (tsx is a dependency of Faultline).`, { cause: e });
  }
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}
