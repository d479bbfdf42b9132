// The verbs that end faults in force: each names itself in the `healedBy` of the faults it ends.
import { defineFault } from './fault.ts';

/** node.unblock(): lifts that node's block. */
export const unblock = defineFault<void>({
  name: 'unblock',
  role: 'heal',
  title: (t) => `unblock ${t.label}`,
  nothingToHeal: (t) => `Cannot unblock ${t.node}: it is not blocked.`,
  inject: async () => undefined,
});

/** cluster.heal(): removes the partition (partition() or isolate()). */
export const heal = defineFault<void>({
  name: 'heal',
  role: 'heal',
  nothingToHeal: () => 'Cannot heal: no partition is in place.',
  inject: async () => undefined,
});

/** node.restore(): ends every network fault placed on the node through its own verbs (block, loss). */
export const restore = defineFault<void>({
  name: 'restore',
  role: 'heal',
  title: (t) => `restore ${t.label} (end its network faults)`,
  nothingToHeal: (t) => `Cannot restore ${t.node}: no fault that restore() ends is in force on it.`,
  inject: async () => undefined,
});

/** link.heal(): ends the link's fault. */
export const linkHeal = defineFault<void>({
  name: 'link.heal',
  role: 'heal',
  nothingToHeal: (t) => `Cannot heal the link ${t.link?.from} → ${t.link?.to}: no fault is in force on it.`,
  inject: async () => undefined,
});
