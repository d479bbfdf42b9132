// The etcdctl log parser and outcome rule, on stderr lines captured from etcdctl 3.4.23 against real members.
import { expect, test } from '@playwright/test';
import { ETCDCTL_RETRY_PATTERN, classifyEtcdctlExit, etcdctlArgs, etcdctlClient, grpcStatusOf, parseGetJson, parseRetryLine } from '../../runner/clients/index.ts';

/** Put to a killed member (nothing listens): the picker never had a connection. */
const REFUSED =
  '{"level":"warn","ts":"2026-11-27T14:35:21.186Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-46643488-1f07-4b0a-8d9f-987a0b0dba62/127.0.0.1:54999","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure"}';
/** Put to a SIGSTOPped member with --command-timeout=1s. */
const PAUSED =
  '{"level":"warn","ts":"2026-11-27T14:35:28.632Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-5521b4e6-0a35-4ab3-976a-c9f47753df76/127.0.0.1:54901","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}';
/** `etcdctl put "" v`: refused by the server before proposing. */
const NO_KEY =
  '{"level":"warn","ts":"2026-11-27T14:36:40.583Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-012b64ac-1195-4a75-a960-d40a784334f9/127.0.0.1:54901","attempt":0,"error":"rpc error: code = InvalidArgument desc = etcdserver: key is not provided"}';

test('a retry line yields its attempt number, target, error text and gRPC status', () => {
  expect(parseRetryLine(REFUSED)).toEqual({
    attempt: 0,
    target: 'endpoint://client-46643488-1f07-4b0a-8d9f-987a0b0dba62/127.0.0.1:54999',
    error: 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure',
    status: 'DEADLINE_EXCEEDED',
  });
  expect(parseRetryLine(NO_KEY)?.status).toBe('INVALID_ARGUMENT');
});

test('other stderr lines are not attempts', () => {
  expect(parseRetryLine('Error: context deadline exceeded')).toBeUndefined();
  expect(parseRetryLine('{"level":"info","msg":"retrying of unary invoker","attempt":1}')).toBeUndefined();
});

test('escaped quotes inside the error are unescaped', () => {
  const line = '{"msg":"retrying of unary invoker failed","target":"t/1.2.3.4:1","attempt":2,"error":"rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing dial tcp: connect: connection refused\\""}';
  expect(parseRetryLine(line)).toMatchObject({ attempt: 2, status: 'UNAVAILABLE', error: 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp: connect: connection refused"' });
});

test('a service can declare its own retry pattern; one without an "error" group is refused with the fix', () => {
  const plain = /retry #(?<attempt>\d+) failed: (?<error>.*)$/;
  expect(parseRetryLine('retry #3 failed: rpc error: code = Unavailable desc = x', plain)).toEqual({ attempt: 3, error: 'rpc error: code = Unavailable desc = x', status: 'UNAVAILABLE' });
  expect(() => etcdctlClient({ retryPattern: /retrying (?<attempt>\d+)/ })).toThrow(/must have a named group "error"[\s\S]*Fix:/);
  expect(ETCDCTL_RETRY_PATTERN.flags).toBe('');
});

test('gRPC status names come from Go error texts', () => {
  expect(grpcStatusOf('rpc error: code = DeadlineExceeded desc = x')).toBe('DEADLINE_EXCEEDED');
  expect(grpcStatusOf('rpc error: code = Canceled desc = x')).toBe('CANCELLED');
  expect(grpcStatusOf('Error: context deadline exceeded')).toBe('DEADLINE_EXCEEDED');
  expect(grpcStatusOf('Error: unknown command "bogus" for "etcdctl"')).toBe('UNKNOWN');
});

test('outcome: a write is fail only when certainly not applied, otherwise info', () => {
  const exit1 = { exitCode: 1, killed: false };
  const refused = parseRetryLine(REFUSED)!;
  const paused = parseRetryLine(PAUSED)!;
  expect(classifyEtcdctlExit('put', { exitCode: 0, killed: false }, [])).toBe('ok');
  expect(classifyEtcdctlExit('put', exit1, [refused])).toBe('fail');
  expect(classifyEtcdctlExit('delete', exit1, [parseRetryLine(NO_KEY)!])).toBe('fail');
  // A bare deadline: still waiting for the handshake, or sent and unanswered — the log cannot tell.
  expect(classifyEtcdctlExit('put', exit1, [paused])).toBe('info');
  expect(classifyEtcdctlExit('put', exit1, [refused, paused])).toBe('info');
  // No retry line: no RPC was invoked (bad arguments), unless the process died mid-request.
  expect(classifyEtcdctlExit('put', exit1, [], ['Error: unknown command "bogus" for "etcdctl"'])).toBe('fail');
  expect(classifyEtcdctlExit('put', { killed: true }, [])).toBe('info');
  expect(classifyEtcdctlExit('put', { signal: 'SIGSEGV', killed: false }, [])).toBe('info');
  expect(classifyEtcdctlExit('put', { exitCode: 2, killed: false }, [], ['panic: runtime error', 'goroutine 1 [running]:'])).toBe('info');
  // A failed read changed nothing.
  expect(classifyEtcdctlExit('get', exit1, [paused])).toBe('fail');
});

test('get -w json output: base64 value, absent key, empty value', () => {
  expect(parseGetJson('{"header":{"revision":2},"kvs":[{"key":"aw==","create_revision":2,"mod_revision":2,"version":1,"value":"dg=="}],"count":1}')).toBe('v');
  expect(parseGetJson('{"header":{"cluster_id":18224168082553386810,"revision":2}}')).toBeNull();
  expect(parseGetJson('{"header":{"revision":12},"kvs":[{"key":"azI=","create_revision":12,"mod_revision":12,"version":1}],"count":1}')).toBe('');
});

test('arguments: endpoints in order, timeouts in ms, "--" before the key', () => {
  const eps = [{ node: 'node-1', address: '127.0.0.1:1' }, { node: 'node-2', address: '127.0.0.1:2' }];
  expect(etcdctlArgs({ op: 'put', key: '-k', value: 'v' }, eps, { commandTimeoutMs: 1000 })).toEqual(['--endpoints=127.0.0.1:1,127.0.0.1:2', '--command-timeout=1000ms', 'put', '--', '-k', 'v']);
  expect(etcdctlArgs({ op: 'get', key: 'k' }, eps.slice(0, 1))).toEqual(['--endpoints=127.0.0.1:1', 'get', '-w', 'json', '--', 'k']);
  expect(etcdctlArgs({ op: 'delete', key: 'k' }, eps.slice(0, 1), { dialTimeoutMs: 500 })).toEqual(['--endpoints=127.0.0.1:1', '--dial-timeout=500ms', 'del', '--', 'k']);
});
