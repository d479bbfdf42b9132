// A node's process as the cluster holds it: on this machine, or on an SSH host. Its own file, so the cluster and
// readiness can both name it without a circle.
import type { NodeProcess } from './process/node-process.ts';
import type { RemoteNodeProcess } from './hosts/remote-node.ts';

/** Local (its cgroup or process group) or remote (runner/hosts/remote-node.ts): the same surface. */
export type AnyNodeProcess = NodeProcess | RemoteNodeProcess;
