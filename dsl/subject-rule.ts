// Observer and subject: a TEST or DOC-GAP cell's retry, reconnect or watch expectation must judge the
// service's own client, not Faultline's recording client, whose policy Faultline sets. Pure, over a plan.
import type { SpecLocation } from './location.ts';
import type { Plan } from './plan.ts';

/** One expectation whose only subject is Faultline's own client, with the rule and the fix. */
export interface SubjectFinding {
  location?: SpecLocation;
  message: string;
}

const RETRYING = new Set(['toRetry', 'toRetryAsClientClaims']);
const WATCHING = new Set(['toReceiveAll', 'toEnd']);

/** The findings of one plan; none when no column runs it as TEST or DOC-GAP. */
export function observerAsSubject(plan: Plan): SubjectFinding[] {
  const columns = Object.entries(plan.matrix).filter(([, status]) => status === 'TEST' || status === 'DOC-GAP').map(([svc, status]) => `${svc} ${status}`);
  if (!columns.length) return [];
  const out: SubjectFinding[] = [];
  const name = `${plan.id}${plan.variant ? ` › ${plan.variant}` : ''}`;
  for (const step of plan.steps) {
    if (step.kind !== 'expect') continue;
    const s = step.subject;
    const client = s.kind === 'op' ? s.op.client : s.kind === 'client' ? s.client : undefined;
    if (RETRYING.has(step.matcher) && client && !client.under) {
      out.push({ location: step.location, message: `"${step.title}" in scenario "${name}" (${columns.join(', ')}) judges retries on Faultline's own client, the observer, whose policy Faultline sets: it passes whatever the service's clients do. Fix: issue the operation with client.underTest() (or client.using('<name>')) and expect(op).toRetryAsClientClaims().` });
    }
    if (WATCHING.has(step.matcher) && s.kind === 'watch' && s.watch.using === 'faultline') {
      out.push({ location: step.location, message: `"${step.title}" in scenario "${name}" (${columns.join(', ')}) judges a watch of Faultline's own (the observer's, which never resumes), not the service's own watch client. Fix: open it with client.underTest().watch(prefix) (or { using: '<name>' }).` });
    }
  }
  return out;
}
