// start(): a stopped node comes back on its own data dir and ports; an action, not a fault.
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** Spawns the node again and waits until it is ready. */
export const start = defineFault<void>({
  name: 'start',
  role: 'action',
  title: (t) => nodeVerbTitle('start', t.label!),
  inject: (t, _p, host) => host.process.start(t.node!),
});
