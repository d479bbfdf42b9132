// SIGTERM and wait for the exit: the seed's graceful shutdown; a node that does not exit in time is an error.
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** SIGTERM to the node's group, waiting for a clean exit (SIGKILL and an error after the term timeout). */
export const term = defineFault<void>({
  name: 'term',
  signal: 'SIGTERM',
  mark: 'SIGTERM',
  title: (t) => nodeVerbTitle('term', t.label!),
  inject: (t, _p, host) => host.process.term(t.node!),
});
