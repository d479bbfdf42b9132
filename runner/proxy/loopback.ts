// The proxy must never become a path off the machine: it listens and forwards on loopback only.
import { isIPv4 } from 'node:net';
import { ProxyError } from './proxy-error.ts';

/** The only address a proxy listens on. */
export const LOOPBACK = '127.0.0.1';

/**
 * Accepts an IPv4 literal in 127.0.0.0/8 — or in 198.18.0.0/15, the benchmark range the host lab's namespaces use
 * (runner/hosts/lab-names.ts), still on this machine — and a valid port; anything else is a clear error.
 */
export function requireLoopbackTarget(link: string, target: { host: string; port: number }): void {
  if (!isIPv4(target.host) || !(target.host.startsWith('127.') || /^198\.1[89]\./.test(target.host))) {
    throw new ProxyError(
      `fault proxy only forwards to loopback (an IPv4 literal in 127.0.0.0/8) or to the host lab's namespaces (198.18.0.0/15), but link "${link}" targets host "${target.host}"; ` +
        `run the node on 127.0.0.1 and pass target: { host: "127.0.0.1", port }.`,
    );
  }
  requirePort(link, 'target port', target.port, 1);
}

/** Ports are integers; 0 means "pick an ephemeral port" where allowed. */
export function requirePort(link: string, what: string, port: number, min: 0 | 1): void {
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new ProxyError(
      `fault proxy "${link}": ${what} must be an integer from ${min} to 65535, got ${JSON.stringify(port)}` +
        (min === 0 ? '; pass 0 for an ephemeral port.' : '.'),
    );
  }
}
