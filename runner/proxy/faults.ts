// The faults a link can carry, one at a time, each distinct as in Toxiproxy.
import { ProxyError } from './proxy-error.ts';
import type { LinkFault } from '../../dsl/plan.ts';

/**
 * refuse: listener closed, new connects get ECONNREFUSED; existing connections are cut.
 * reset: existing and new connections get a TCP RST.
 * blackhole: connections accepted, bytes silently dropped both ways, nothing closes.
 * latency: every chunk delayed by `ms` ± `jitterMs` (uniform), order kept per direction.
 * bandwidth: each direction throttled to `bytesPerSecond`.
 */
export type Fault = LinkFault;

/** The names of every fault kind, for "did you mean" messages. */
export const faultKinds = ['refuse', 'reset', 'blackhole', 'latency', 'bandwidth'] as const;

/** Rejects a malformed fault before it touches a link, naming the field and the fix. */
export function validateFault(fault: Fault, link: string): Fault {
  const where = `fault for link "${link}"`;
  const kind = (fault as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(faultKinds as readonly string[]).includes(kind)) {
    throw new ProxyError(
      `${where} must have a kind, one of ${faultKinds.map((k) => `"${k}"`).join(', ')}; got ${JSON.stringify(kind)}.`,
    );
  }
  if (fault.kind === 'latency') {
    requireNumber(fault.ms, `${where}: latency "ms"`, 'milliseconds, e.g. { kind: "latency", ms: 200 }');
    if (fault.jitterMs !== undefined) {
      requireNumber(fault.jitterMs, `${where}: latency "jitterMs"`, 'milliseconds, e.g. jitterMs: 50');
    }
  }
  if (fault.kind === 'bandwidth') {
    requireNumber(fault.bytesPerSecond, `${where}: bandwidth "bytesPerSecond"`, 'bytes per second, e.g. 100_000');
    if (fault.bytesPerSecond < 1) {
      throw new ProxyError(
        `${where}: bandwidth "bytesPerSecond" must be at least 1 byte/s, got ${fault.bytesPerSecond}; use { kind: "blackhole" } to stop all bytes.`,
      );
    }
  }
  return fault;
}

/** Names a fault the way step titles and reports show it, e.g. `latency(200ms ±50ms)`. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'latency':
      return fault.jitterMs ? `latency(${fault.ms}ms ±${fault.jitterMs}ms)` : `latency(${fault.ms}ms)`;
    case 'bandwidth':
      return `bandwidth(${fault.bytesPerSecond} bytes/s)`;
    default:
      return fault.kind;
  }
}

function requireNumber(value: unknown, what: string, unit: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ProxyError(`${what} must be a finite number ≥ 0 in ${unit}; got ${JSON.stringify(value)}.`);
  }
}
