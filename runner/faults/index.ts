// Every fault by its DSL name: the one list the runner dispatches through. A new fault is one file plus a line here.
import { didYouMean } from '../../dsl/errors.ts';
import { block } from './block.ts';
import type { Fault } from './fault.ts';
import { UnknownFaultError } from './fault-errors.ts';
import { heal, linkHeal, restore, unblock } from './heal-verbs.ts';
import { isolate } from './isolate.ts';
import { kill } from './kill.ts';
import { linkFault } from './link-fault.ts';
import { describeLoss, loss } from './loss.ts';
import { peerLinkFault } from './peer-link-fault.ts';
import { partition } from './partition.ts';
import { pause } from './pause.ts';
import { restart } from './restart.ts';
import { resume } from './resume.ts';
import { start } from './start.ts';
import { term } from './term.ts';

export { FaultLedger, type FaultSink } from './fault-ledger.ts';
export type { Fault, FaultHost, FaultNetwork, FaultNeeds, FaultNode, FaultTarget, Injected, Unavailable } from './fault.ts';
export type { FaultEffect, FaultEnd, FaultStart, LaneEffect, LossEffect } from './fault-records.ts';
import type { FaultEffect } from './fault-records.ts';
export { FaultTargetError, NothingToHealError, UnknownFaultError } from './fault-errors.ts';
export { blockBackend } from './block.ts';

/** The registry: DSL name → fault. */
export const FAULTS: Readonly<Record<string, Fault<never>>> = Object.fromEntries(
  [kill, term, pause, resume, start, restart, block, unblock, isolate, partition, heal, restore, linkFault, peerLinkFault, linkHeal, loss].map((f) => [f.name, f as Fault<never>]),
);

/** One line saying what a healed fault measurably did. */
export function describeFaultEffect(effect: FaultEffect): string {
  switch (effect.kind) {
    case 'loss':
      return describeLoss(effect);
  }
}

/** The fault a plan step names; an unknown name (a DSL verb without a runtime fault) says which exist. */
export function faultNamed<P>(name: string): Fault<P> {
  const f = FAULTS[name];
  if (!f) {
    const hint = didYouMean(name, Object.keys(FAULTS));
    throw new UnknownFaultError(`No fault "${name}" in runner/faults/index.ts${hint ? ` (did you mean "${hint}"?)` : ''}; it has ${Object.keys(FAULTS).join(', ')}.`, { name });
  }
  return f as unknown as Fault<P>;
}
