// How the etcd3 client's errors map to attempts and outcomes, on messages captured from etcd3 1.1.2 / grpc-js.
import { expect, test } from '@playwright/test';
import { EtcdError, GRPCDeadlineExceededError, GRPCUnavailableError } from 'etcd3';
import { classifyEtcd3Error, etcd3Outcome } from '../../runner/clients/index.ts';

/** cockatiel's error when a host's breaker is open (same name and marker). */
class BrokenCircuitError extends Error {
  readonly isBrokenCircuitError = true;
}

test('a refused connection and a deadline before the LB pick were never sent', () => {
  const refused = classifyEtcd3Error(new GRPCUnavailableError('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:54999. Resolution note: '));
  expect(refused).toMatchObject({ status: 'UNAVAILABLE', sent: 'no' });
  expect(refused.message).toMatch(/^GRPCUnavailableError: 14 UNAVAILABLE/);
  expect(classifyEtcd3Error(new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded after 1.001s,name resolution: 0.001s,Waiting for LB pick'))).toMatchObject({ status: 'DEADLINE_EXCEEDED', sent: 'no' });
  expect(classifyEtcd3Error(new BrokenCircuitError('Execution prevented because the circuit breaker is open'))).toMatchObject({ status: 'UNAVAILABLE', sent: 'no' });
});

test('a deadline on a picked transport, and anything unknown, may have been sent', () => {
  expect(classifyEtcd3Error(new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded after 1.000s,metadata filters: 0.001s,LB pick: 0.001s,remote_addr=127.0.0.1:54901'))).toMatchObject({ status: 'DEADLINE_EXCEEDED', sent: 'maybe' });
  expect(classifyEtcd3Error(new EtcdError('etcdserver: request timed out'))).toMatchObject({ status: 'UNKNOWN', sent: 'maybe' });
  expect(classifyEtcd3Error('boom')).toMatchObject({ status: 'UNKNOWN', sent: 'maybe' });
});

test('outcome: writes are info once any try may have been sent; failed reads are fail', () => {
  expect(etcd3Outcome('put', false, [])).toBe('ok');
  expect(etcd3Outcome('put', true, ['no', 'no', 'no'])).toBe('fail');
  expect(etcd3Outcome('put', true, ['maybe', 'no', 'no'])).toBe('info');
  expect(etcd3Outcome('delete', true, ['maybe'])).toBe('info');
  expect(etcd3Outcome('get', true, ['maybe'])).toBe('fail');
});
