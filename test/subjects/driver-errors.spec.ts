// A driver that breaks the protocol fails the step with an error naming the service, the client, the line
// and the fix, and leaves no process behind: exit at start, a non-JSON line, an unknown id, silence.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { execa } from 'execa';
import { startClock } from '../../runner/time/clock.ts';
import { driverClient } from '../../runner/subjects/driver-client.ts';
import { ClientUnderTestError } from '../../runner/subjects/subject-error.ts';

const BROKEN = fileURLToPath(new URL('../fixtures/drivers/broken-driver.mjs', import.meta.url));
const AT = [{ node: 'node-1', address: '127.0.0.1:1' }];

function broken(mode: string, timeoutMs = 10_000) {
  const clock = startClock();
  const client = driverClient({ kind: 'driver', name: 'chainfire-client', service: 'chainfire', claims: {}, command: [process.execPath, BROKEN], env: { BROKEN: mode }, timeoutMs }, { now: () => clock.now() });
  return { client, clock };
}

async function fixtureProcesses(): Promise<string[]> {
  const r = await execa('pgrep', ['-a', '-P', String(process.pid), '-f', 'broken-driver'], { reject: false });
  return String(r.stdout).split('\n').filter(Boolean);
}

test.afterEach(async () => {
  expect(await fixtureProcesses(), 'no driver may outlive its failure').toEqual([]);
});

const cases: [string, number, RegExp][] = [
  ['exit', 10_000, /The "chainfire-client" client of chainfire: its driver exited \(exit code 3, signal -\) with 1 request\(s\) unanswered\.\n  Fix: a driver runs until its stdin closes; see its stderr below for why it stopped\.\n  its last words:\n    cannot reach the cluster configuration: missing CHAINFIRE_ENDPOINTS/],
  ['garbage', 10_000, /its driver wrote a line that is not JSON: every stdout line of a driver is one JSON object \(logs belong on stderr\): connected to 127\.0\.0\.1\n  Fix: write exactly one JSON object per stdout line/],
  ['stranger', 10_000, /its driver answered request 102, which was never sent or was already answered: \{"id":102,"outcome":"ok"\}\n  Fix: echo the "id" of the request you answer, once\./],
  ['silent', 300, /its driver never answered request 2 \(\{"id":2,"op":"put","key":"k","value":"v","endpoints":\["127\.0\.0\.1:1"\]\}\) within 300 ms; it was killed with its process group\.\n  Fix: answer every request with \{"id": 2, "outcome": …\} on one stdout line \(flush it\), or raise "clients\.chainfire-client\.driver\.timeout"\./],
];

for (const [mode, timeoutMs, message] of cases) {
  test(`a driver that breaks the protocol (${mode}) fails the operation with the rule and the fix`, async () => {
    const { client, clock } = broken(mode, timeoutMs);
    try {
      const error = await client.run({ op: 'put', key: 'k', value: 'v' }, AT, clock).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ClientUnderTestError);
      expect((error as Error).message).toMatch(message);
    } finally {
      await client.close();
    }
  });
}
