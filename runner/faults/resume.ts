// resume(): SIGCONT after pause(); an action, the lane reads the signal itself.
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** SIGCONT to a paused node's group. */
export const resume = defineFault<void>({
  name: 'resume',
  role: 'action',
  title: (t) => nodeVerbTitle('resume', t.label!),
  inject: async (t, _p, host) => host.process.resume(t.node!),
});
