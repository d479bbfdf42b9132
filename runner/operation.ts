// Runs one client operation with its retry policy, recording every attempt on the run's clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs } from '../dsl/policy.ts';
import { formatMs } from '../dsl/duration.ts';
import type { RetryPolicy } from '../dsl/plan.ts';
import type { Clock } from './time/clock.ts';
import { ForeignNodeError } from './process/process-errors.ts';
import { round } from './records/events.ts';
import type { Attempt, OpRecord, Outcome } from './records/history.ts';
import { AttemptError, type Endpoint, type KvOperation, type ServiceClient } from './contract/service.ts';

/** gRPC codes worth another attempt; others (e.g. INVALID_ARGUMENT) end the operation. */
const RETRYABLE = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'RESOURCE_EXHAUSTED', 'UNKNOWN', 'INTERNAL']);

/** Everything one operation needs. */
export interface OperationContext {
  id: number;
  process: string;
  clock: Clock;
  client: ServiceClient;
  /** Endpoints in failover order; attempt n goes to endpoints[n % length]. */
  endpoints: Endpoint[];
  policy: RetryPolicy;
}

/** Executes `op` with retries and returns its history record; never throws for a failed operation, only for a foreign answer. */
export async function runOperation(op: KvOperation, ctx: OperationContext): Promise<OpRecord> {
  const attempts: Attempt[] = [];
  const invoke = round(ctx.clock.now());
  let sentMaybe = false;
  for (let n = 0; n <= ctx.policy.retries; n++) {
    const endpoint = ctx.endpoints[n % ctx.endpoints.length]!;
    const start = ctx.clock.now();
    try {
      let from: Attempt['from'];
      const value = await ctx.client.attempt(op, endpoint, ctx.policy.attemptTimeoutMs, (who) => (from = who));
      attempts.push({ n: n + 1, start: round(start), end: round(ctx.clock.now()), endpoint: label(endpoint), status: 'OK', ...(from ? { from } : {}) });
      return { ...base(op, ctx, invoke, attempts), outcome: 'ok', ...(op.op === 'get' ? { result: value ?? null } : {}) };
    } catch (e) {
      // Another process's answer is no outcome of ours: the step fails with it, never retried into an OK.
      if (e instanceof ForeignNodeError) throw e;
      const err = e instanceof AttemptError ? e : new AttemptError('UNKNOWN', String((e as Error)?.message ?? e), 'maybe');
      attempts.push({ n: n + 1, start: round(start), end: round(ctx.clock.now()), endpoint: label(endpoint), status: err.status, error: err.message });
      if (err.sent === 'maybe') sentMaybe = true;
      if (!RETRYABLE.has(err.status)) break;
      if (n < ctx.policy.retries) await sleep(backoffMs(ctx.policy, n));
    }
  }
  // A write that may have reached a server may have been applied: its outcome is unknown, not failed.
  const outcome: Outcome = op.op !== 'get' && sentMaybe ? 'info' : 'fail';
  const record: OpRecord = { ...base(op, ctx, invoke, attempts), outcome };
  record.error = finalError(record, ctx);
  return record;
}

function base(op: KvOperation, ctx: OperationContext, invoke: number, attempts: Attempt[]): OpRecord {
  return opRecord({ id: ctx.id, process: ctx.process, op, invoke, complete: round(ctx.clock.now()), outcome: 'ok', attempts });
}

/** The one builder of an operation record, for our client and for clients under test alike. */
export function opRecord(f: { id: number; process: string; cluster?: string; op: KvOperation; invoke: number; complete: number; outcome: Outcome; attempts: Attempt[]; result?: string | null; error?: string }): OpRecord {
  const { op } = f;
  return {
    id: f.id,
    process: f.process,
    ...(f.cluster ? { cluster: f.cluster } : {}),
    op: op.op,
    key: op.key,
    ...(op.op === 'put' ? { value: op.value } : {}),
    ...(f.result !== undefined ? { result: f.result } : {}),
    invoke: f.invoke,
    complete: f.complete,
    outcome: f.outcome,
    attempts: f.attempts,
    ...(f.error ? { error: f.error } : {}),
  };
}

/** The final error states the operation, endpoints, attempts, duration and cause. */
export function finalError(r: OpRecord, ctx: Pick<OperationContext, 'policy'>): string {
  const last = r.attempts[r.attempts.length - 1];
  const endpoints = [...new Set(r.attempts.map((a) => a.endpoint))].join(', ');
  const what = `${r.op} ${JSON.stringify(r.key)}${r.op === 'put' ? ` = ${JSON.stringify(r.value)}` : ''}`;
  const unknown = r.outcome === 'info' ? ' (outcome unknown: the request may have been applied)' : '';
  const lines = r.attempts.map((a) => `    #${a.n} ${a.endpoint} at +${formatMs(a.start - r.invoke)} took ${formatMs(a.end - a.start)}: ${a.status}${a.error ? ` ${a.error}` : ''}`);
  return `${what} failed after ${r.attempts.length} attempt(s) over ${formatMs(r.complete - r.invoke)} against ${endpoints}${unknown}: ${last?.status} ${last?.error ?? ''}\n  attempts (policy: ${ctx.policy.retries} retries, ${formatMs(ctx.policy.initialMs)} x${ctx.policy.multiplier}, deadline ${formatMs(ctx.policy.attemptTimeoutMs)} each):\n${lines.join('\n')}`;
}

function label(e: Endpoint): string {
  return `${e.node}@${e.address}`;
}
