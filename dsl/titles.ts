// Step titles read as English and name nodes by their stable names ("node-2").
import type { NodeTarget, NodeVerb, OpRef } from './plan.ts';

/** How a target reads before it is resolved: "node-2", "the leader", "a follower" ("pd-node-2", "the pd leader" in a declared cluster). */
export function targetLabel(target: NodeTarget): string {
  const c = target.cluster === undefined ? '' : `${target.cluster}`;
  if (target.kind === 'index') return `${c ? `${c}-` : ''}node-${target.index}`;
  if (target.kind === 'named') return target.name;
  return target.kind === 'leader' ? `the ${c ? `${c} ` : ''}leader` : `a ${c ? `${c} ` : ''}follower`;
}

/** How a target reads once resolved: "node-2 (leader)". */
export function resolvedLabel(target: NodeTarget, node: string): string {
  return target.kind === 'index' || target.kind === 'named' ? node : `${node} (${target.kind})`;
}

/** The title of a node verb, e.g. `kill -9 node-2 (leader)`. */
export function nodeVerbTitle(verb: NodeVerb, label: string): string {
  switch (verb) {
    case 'kill':
      return `kill -9 ${label}`;
    case 'term':
      return `SIGTERM ${label} and wait for exit`;
    case 'pause':
      return `pause ${label} (SIGSTOP)`;
    case 'resume':
      return `resume ${label} (SIGCONT)`;
    case 'start':
      return `start ${label}`;
    case 'restart':
      return `restart ${label} (SIGTERM, then start on the same data dir)`;
  }
}

/** The title of a client operation, e.g. `put "k" = "v1"`. */
export function opTitle(op: OpRef): string {
  const value = op.op === 'put' ? ` = ${JSON.stringify(op.value)}` : '';
  const via = op.client.name === 'client' ? '' : ` via ${op.client.name}`;
  return `${op.op} ${JSON.stringify(op.key)}${value}${via}`;
}
