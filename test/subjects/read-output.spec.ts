// The pure pieces of clients under test, on output captured from etcdctl 3.4.23 and etcd3 1.1.2 against real
// members: etcd's configured attempt line and "not sent" text, value and watch-line readers, statuses, driver lines.
import { expect, test } from '@playwright/test';
import { statusOfText } from '../../runner/subjects/client-under-test.ts';
import { parseDriverLine } from '../../runner/subjects/driver-messages.ts';
import { readValue, readWatchLine } from '../../runner/subjects/read-output.ts';
import type { ClientUnderTestConfig, CommandClientConfig } from '../../runner/contract/subject-config.ts';
import { etcdService } from '../../services/etcd/definition.ts';

/** Put to a killed member (nothing listens): the picker never had a connection. */
const REFUSED =
  '{"level":"warn","ts":"2026-11-27T14:35:21.186Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-46643488-1f07-4b0a-8d9f-987a0b0dba62/127.0.0.1:54999","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure"}';
/** Put to a SIGSTOPped member with --command-timeout=1s. */
const PAUSED =
  '{"level":"warn","ts":"2026-11-27T14:35:28.632Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-5521b4e6-0a35-4ab3-976a-c9f47753df76/127.0.0.1:54901","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}';
const etcdctl = () => etcdService(process.env).clientsUnderTest!.etcdctl as ClientUnderTestConfig & CommandClientConfig;

test("etcd's configured attempt line reads clientv3's retry log: attempt, target, error; other lines are not tries", () => {
  const re = new RegExp(etcdctl().attemptLine!);
  expect(re.exec(REFUSED)?.groups).toMatchObject({ attempt: '0', target: 'endpoint://client-46643488-1f07-4b0a-8d9f-987a0b0dba62/127.0.0.1:54999', error: 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure' });
  expect(re.exec('Error: context deadline exceeded')).toBeNull();
  expect(re.exec('{"level":"info","msg":"retrying of unary invoker","attempt":1}')).toBeNull();
});

test('the configured "not sent" text tells a refused put (fail) from an unanswered one (info)', () => {
  const re = new RegExp(etcdctl().notSent!);
  expect(re.test(REFUSED)).toBe(true);
  expect(re.test(PAUSED)).toBe(false);
});

test('get -w json through the configured reader: base64 value, absent key, empty value; a wrong path is an error with the fix', () => {
  const reader = etcdctl().get!.value!;
  expect(readValue('{"header":{"revision":2},"kvs":[{"key":"aw==","create_revision":2,"mod_revision":2,"version":1,"value":"dg=="}],"count":1}', reader)).toBe('v');
  expect(readValue('{"header":{"cluster_id":18224168082553386810,"revision":2}}', reader)).toBeNull();
  expect(readValue('{"header":{"revision":12},"kvs":[{"key":"azI=","create_revision":12,"mod_revision":12,"version":1,"value":""}],"count":1}', reader)).toBe('');
  // etcdctl leaves an empty value out (protobuf's JSON): the object is there, so the value is "".
  expect(readValue('{"header":{"revision":12},"kvs":[{"key":"azI=","create_revision":12,"mod_revision":12,"version":1}],"count":1}', reader)).toBe('');
  const wrong = readValue('{"header":{},"kvs":[{"key":"aw==","value":"dg=="}]}', { json: 'kv.0.value', absent: 'kvs' });
  expect(wrong).toMatchObject({ problem: expect.stringMatching(/the JSON path "kv\.0\.value" matched nothing .*top-level fields: header, kvs.*"kvs" is there/) });
  expect(readValue('not json', reader)).toMatchObject({ problem: expect.stringMatching(/printed no JSON/), fix: expect.stringMatching(/-w json/) });
  expect(readValue('k\nv 1\n', { regex: '^k\\n(?<value>.*)$' })).toBe('v 1');
  expect(readValue('', { regex: '^k\\n(?<value>.*)$' })).toBeNull();
});

test("etcdctl watch -w json lines through the configured reader: puts, deletes, revisions; a broken line says why", () => {
  const line = etcdctl().watch!.line;
  const put = '{"Header":{"revision":5},"Events":[{"kv":{"key":"czUvYQ==","create_revision":5,"mod_revision":5,"version":1,"value":"YmVmb3JlLTE="}}],"CompactRevision":0,"Canceled":false,"Created":false}';
  const del = '{"Header":{"revision":6},"Events":[{"type":1,"kv":{"key":"czUvYQ==","mod_revision":6}}]}';
  expect(readWatchLine(put, line)).toEqual([{ type: 'put', key: 's5/a', value: 'before-1', revision: 5 }]);
  expect(readWatchLine(del, line)).toEqual([{ type: 'delete', key: 's5/a', revision: 6 }]);
  expect(readWatchLine('{"Header":{"revision":7}}', line)).toEqual([]);
  expect(readWatchLine('Error: watch was canceled', line)).toBe('is not JSON');
});

test('gRPC status names from Go and grpc-js error texts', () => {
  expect(statusOfText('rpc error: code = DeadlineExceeded desc = x')).toBe('DEADLINE_EXCEEDED');
  expect(statusOfText('rpc error: code = Canceled desc = x')).toBe('CANCELLED');
  expect(statusOfText('GRPCUnavailableError: 14 UNAVAILABLE: No connection established')).toBe('UNAVAILABLE');
  expect(statusOfText('Error: context deadline exceeded')).toBe('DEADLINE_EXCEEDED');
  expect(statusOfText('BrokenCircuitError: Execution prevented because the circuit breaker is open')).toBe('UNAVAILABLE');
  expect(statusOfText('Error: unknown command "bogus" for "etcdctl"')).toBe('UNKNOWN');
});

test('driver lines: each kind parsed; anything else names the rule it breaks', () => {
  expect(parseDriverLine('{"id":3,"outcome":"ok","value":"v"}')).toEqual({ kind: 'reply', reply: { id: 3, outcome: 'ok', value: 'v' } });
  expect(parseDriverLine('{"attempt":3,"status":"UNAVAILABLE","endpoint":"127.0.0.1:1"}')).toMatchObject({ kind: 'attempt' });
  expect(parseDriverLine('{"watch":4,"key":"k","value":"v","revision":9}')).toMatchObject({ kind: 'event' });
  expect(parseDriverLine('{"watch":4,"state":"reconnecting"}')).toMatchObject({ kind: 'state' });
  expect(parseDriverLine('connected to etcd')).toMatch(/is not JSON: every stdout line of a driver is one JSON object \(logs belong on stderr\)/);
  expect(parseDriverLine('{"id":3,"outcome":"done"}')).toMatch(/answers request 3 with "outcome": "done"; an outcome is "ok", "fail" or "info"/);
  expect(parseDriverLine('{"watch":4,"state":"lost"}')).toMatch(/a watch state is "reconnecting", "reconnected", "ended" or "error"/);
  expect(parseDriverLine('[1,2]')).toBe('is not a JSON object');
});
