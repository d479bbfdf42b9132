// Waiting for a node to be ready: fails at once when its process exits (with the line that says why),
// and never takes another process's answer on the node's ports for the node's readiness.
import { setTimeout as sleep } from 'node:timers/promises';
import { ForeignNodeError, NodeProcessError, ReadinessTimeoutError } from './process/process-errors.ts';
import type { NodeProcess } from './process/node-process.ts';
import { describeListener, verifyPortOwners } from './port-owner.ts';
import { pollUntil } from './time/poll.ts';

/** How long a node found answering foreign may take to exit, so its own error line joins the report. */
const EXIT_GRACE_MS = 2000;

/**
 * Polls `probe` every 25 ms until it says ready, then checks that every listening port of the node is
 * the node's own (`marker`: its processes' FAULTLINE_NODE). Rejects with NodeProcessError as soon as the process exits, ForeignNodeError when
 * another process answered, ReadinessTimeoutError after `timeoutMs`.
 */
export async function waitUntilReady(proc: NodeProcess, probe: () => Promise<{ ready: boolean; detail: string }>, timeoutMs: number, marker?: string): Promise<void> {
  const name = proc.spec.name;
  let last = 'no probe yet';
  let gone = false;
  const exited = proc.exited.then(() => (gone = true));
  const polled = pollUntil(
    async () => {
      if (gone) return undefined;
      const r = await probe();
      last = r.detail;
      if (!r.ready) return undefined;
      await verifyPortOwners(name, Object.values(proc.spec.ports), proc.owner, marker);
      return true;
    },
    timeoutMs,
    // A steady 25 ms: a probe is one loopback request, and a late "ready" is measured time.
    [25],
    () => gone,
  );
  let ready: true | undefined;
  try {
    // The exit wins the race: a node that dies at start fails its step now, not at the deadline.
    ready = await Promise.race([polled, exited.then(() => undefined)]);
  } catch (e) {
    if (!(e instanceof ForeignNodeError)) throw e;
    // Our node usually dies of the taken port a moment later: its own line says so.
    await Promise.race([proc.exited, sleep(EXIT_GRACE_MS)]);
    throw e.withLines(proc.summary());
  } finally {
    polled.catch(() => undefined);
  }
  if (gone || !proc.running) throw await exitError(proc);
  if (!ready) throw new ReadinessTimeoutError(`${name} ready`, timeoutMs, last, proc.summary());
}

/** The node exited while starting; a taken port is named with who holds it. */
async function exitError(proc: NodeProcess): Promise<NodeProcessError> {
  const exit = await proc.exited;
  const lines = proc.summary();
  const bind = proc.lines.map((l) => l.line).find((l) => /address already in use/i.test(l));
  const port = bind ? /:(\d+): bind/.exec(bind)?.[1] : undefined;
  const why = bind ? ` Its port${port ? ` ${port}` : ''} was taken (${port ? describeListener(Number(port)) : 'bind: address already in use'}).` : '';
  return new NodeProcessError(`${proc.spec.name} exited while starting.${why}`, { node: proc.spec.name, pid: proc.pid, exitCode: exit.exitCode, signal: exit.signal, lastLines: lines });
}
