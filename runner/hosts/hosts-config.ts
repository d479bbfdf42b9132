// The hosts a run places nodes on, as validated data: where each host is, how to log in, how a node runs there.
import type { SshTarget } from './ssh-target.ts';

/** How a node is run on a host: a plain process with a pid file, or a systemd unit. */
export type HostRun = { kind: 'process'; pidFile: string } | { kind: 'systemd'; unit: string };

/** One host, every default filled in. Templates in paths: {node} (node-1), {run} (the run's id). */
export interface HostConfig extends SshTarget {
  run: HostRun;
  /** The service's binary on the host; undefined: the same path as on this machine. */
  binary?: string;
  /** Where a node's data dir lives on the host (absolute, templated). */
  dataDir: string;
  /** The address the node listens on and its peers dial (default: `address`). */
  peerAddress: string;
}

/** A validated hosts file: hosts in the file's order (node i runs on host i, round robin). */
export interface HostsConfig {
  /** The file it came from, or "lab:<n>". */
  source: string;
  hosts: HostConfig[];
}

/** Fills {node} and {run} in a host path template. */
export function hostPath(template: string, values: { node: string; run: string }): string {
  return template.replaceAll('{node}', values.node).replaceAll('{run}', values.run);
}
