// Which fault a plan step runs and with what parameters: the one mapping from plan steps to runner/faults/.
import type { NodeTarget, Plan, PlanStep } from '../dsl/plan.ts';
import { faultNamed, type Fault } from './faults/index.ts';

/** A fault step as the runner executes it: the fault, its typed parameters, and whom it acts on before resolution. */
export interface FaultStep {
  fault: Fault<unknown>;
  params: unknown;
  on: { node: NodeTarget } | { cluster: string | undefined; groups?: number[][] } | { link: Extract<PlanStep, { kind: 'link.heal' }>['link'] };
}

/** The fault a step runs, or undefined for a step that is not a fault (an operation, an expectation, a wait). */
export function faultStep(step: PlanStep, plan: Pick<Plan, 'id'>): FaultStep | undefined {
  switch (step.kind) {
    case 'node':
      return { fault: faultNamed(step.verb), params: undefined, on: { node: step.target } };
    case 'node.fault':
      return { fault: faultNamed(step.fault), params: step.params ?? {}, on: { node: step.target } };
    case 'net':
      return { fault: faultNamed(step.verb), params: step.verb === 'block' ? { via: step.via } : { scenario: plan.id }, on: { node: step.target } };
    case 'partition':
      return { fault: faultNamed('partition'), params: { scenario: plan.id }, on: { cluster: step.cluster, groups: step.groups } };
    case 'heal':
      return { fault: faultNamed('heal'), params: undefined, on: { cluster: undefined } };
    case 'link.fault':
      return { fault: faultNamed(step.link.peer ? 'peer-link' : 'link'), params: { fault: step.fault, title: step.title }, on: { link: step.link } };
    case 'link.heal':
      return { fault: faultNamed('link.heal'), params: undefined, on: { link: step.link } };
    default:
      return undefined;
  }
}
