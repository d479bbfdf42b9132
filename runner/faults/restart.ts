// SIGTERM, wait for the exit, start on the same data dir: the seed's "SIGTERM + start".
import { nodeVerbTitle } from '../../dsl/titles.ts';
import { defineFault } from './fault.ts';

/** A graceful restart; the fault lasts until the node is ready again. */
export const restart = defineFault<void>({
  name: 'restart',
  signal: 'SIGTERM',
  mark: 'SIGTERM',
  title: (t) => nodeVerbTitle('restart', t.label!),
  inject: (t, _p, host) => host.process.restart(t.node!),
});
