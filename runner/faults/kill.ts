// kill -9: sudden node failure (the seed's "Process kill"); lasts its step, the node stays down.
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** SIGKILL to the node's process group, then wait until it is gone. */
export const kill = defineFault<void>({
  name: 'kill',
  signal: 'SIGKILL',
  mark: 'kill -9',
  title: (t) => nodeVerbTitle('kill', t.label!),
  inject: (t, _p, host) => host.process.kill(t.node!),
});
