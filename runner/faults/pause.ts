// SIGSTOP: the node freezes with its sockets open (the seed's "Pause"); resume() sends SIGCONT.
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** SIGSTOP to the node's group; the lane shows it paused from the signal until SIGCONT. */
export const pause = defineFault<void>({
  name: 'pause',
  signal: 'SIGSTOP',
  mark: 'SIGSTOP',
  title: (t) => nodeVerbTitle('pause', t.label!),
  inject: async (t, _p, host) => host.process.pause(t.node!),
});
