// Timed log expectations: met and missed, with the pattern, node, window and last lines in the message.
import { test, expect } from '@playwright/test';
import { toContainLogLine, type LogObservation } from '../../runner/matchers/to-contain-log.ts';

const base: LogObservation = {
  node: 'grpc-proxy',
  pattern: '/Reconnected to PD/',
  fromMs: 1000,
  withinMs: 20_000,
  fromWhat: 'SIGKILL to node-3 at 1s',
  matches: [],
  lastLines: [{ t: 1500, line: 'heartbeat ok' }, { t: 2500, line: 'lost PD connection' }],
};

test('a missed log expectation names the pattern, the node, the window and the last lines', () => {
  const r = toContainLogLine(base);
  expect(r.pass).toBe(false);
  const m = r.message();
  expect(m).toContain('Expected the log of grpc-proxy to contain /Reconnected to PD/');
  expect(m).toContain('1s–21s (within 20s of SIGKILL to node-3 at 1s)');
  expect(m).toContain('2.5s: lost PD connection');
});

test('a met log expectation reports when the line came, relative to the fault', () => {
  const r = toContainLogLine({ ...base, matches: [{ t: 13_500, line: 'Reconnected to PD' }] });
  expect(r.pass).toBe(true);
  expect(r.actual).toBe('+12.5s: Reconnected to PD');
});
