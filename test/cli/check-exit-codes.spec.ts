// `faultline check` never turns a crash into a verdict: real CLI runs on the inputs that used to crash it,
// exit 1 only for an anomaly found, exit 2 with the line for anything it cannot judge.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { simulateRegisterHistory } from '../../bench/checker.bench.ts';
import { formatHistory } from '../../checker/index.ts';
import { ghostReadHistory } from '../fixtures/ghost-read-history.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function check(args: string[], nodeFlags: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...nodeFlags, 'bin/faultline.mjs', 'check', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function file(name: string, content: string | Buffer): string {
  const path = test.info().outputPath(name);
  writeFileSync(path, content);
  return path;
}

const line = (fields: Record<string, unknown>): string =>
  JSON.stringify({ id: 0, process: 'c1', op: 'put', key: 'k', value: 'v1', invoke: 1, complete: 2, outcome: 'ok', ...fields });
const OK_ATTEMPT = { n: 2, start: 1.5, end: 2, endpoint: 'e1', status: 'OK' };

test('a valid 150,000-line history gets a real verdict (it used to exit 1 from a RangeError)', () => {
  const ops = simulateRegisterHistory({ ops: 150_000, clients: 16, keys: 64, infoRate: 0.02, seed: 150 });
  const big = file('150k.jsonl', formatHistory(ops));
  const { code: okCode, stdout: okOut, stderr } = check([big]);
  expect(stderr).toBe('');
  expect(okOut).toContain(': 150000 operations on 64 keys');
  expect(okOut).toContain('Verdict: LINEARIZABLE (exit 0)');
  expect(okCode).toBe(0);
  // One corrupted read among them is found, with exit 1: the size does not blunt the check.
  const bad = ops.find((o) => o.op === 'get' && o.outcome === 'ok' && o.id > 100_000)!;
  bad.result = 'never-written';
  const { code, stdout } = check([file('150k-bad.jsonl', formatHistory(ops))]);
  expect(stdout).toContain(`#${bad.id} `);
  expect(code).toBe(1);
});

for (const [name, attempts, field, rule] of [
  ['null', [null, OK_ATTEMPT], 'attempts[0]', 'must be an object describing one try, got null'],
  ['numbers', [1, 2], 'attempts[0]', 'must be an object describing one try, got 1'],
  ['no start/end', [{ n: 1, endpoint: 'e1', status: 'UNAVAILABLE' }, OK_ATTEMPT], 'attempts[0].start', 'must be a finite number of milliseconds, got nothing'],
  ['end before start', [{ ...OK_ATTEMPT, start: 2, end: 1.5 }], 'attempts[0].end', 'must not be before its start'],
  ['no status', [{ n: 1, start: 1, end: 2, endpoint: 'e1' }], 'attempts[0].status', 'must be a non-empty string, got nothing'],
] as const) {
  test(`a malformed attempts field (${name}) is exit 2 with its line, with and without --strict`, () => {
    const bad = file('attempts.jsonl', `${line({ id: 0 })}\n\n${line({ id: 1, attempts })}\n`);
    for (const flags of [[], ['--strict']]) {
      const { code, stdout, stderr } = check([bad, ...flags]);
      expect(stdout).toBe('');
      expect(stderr).toContain(`attempts.jsonl line 3: field "${field}" ${rule}`);
      expect(stderr).toContain('Fix: ');
      expect(code).toBe(2);
    }
  });
}

test('invalid UTF-8 is exit 2 with the line, not two keys made equal by U+FFFD', () => {
  // The case: a put on "k\xff" and a read of null on "k\xfe" both decoded to "k\uFFFD" (a false anomaly).
  const head = '{"id":1,"process":"c1","op":"put","key":"k';
  const bytes = Buffer.concat([
    Buffer.from(`${line({ id: 0, key: 'a' })}\n${head}`), Buffer.from([0xff]), Buffer.from('","value":"v","invoke":1,"complete":2,"outcome":"ok"}\n'),
    Buffer.from('{"id":2,"process":"c1","op":"get","key":"k'), Buffer.from([0xfe]), Buffer.from('","result":null,"invoke":3,"complete":4,"outcome":"ok"}\n'),
  ]);
  const { code, stdout, stderr } = check([file('utf8.jsonl', bytes)]);
  expect(stdout).toBe('');
  expect(stderr).toContain(`utf8.jsonl line 2: is not valid UTF-8 (byte 0xff at column ${head.length + 1})`);
  expect(code).toBe(2);
});

test('a key nested 10,000 levels deep is exit 2 with its line (it used to crash JSON.stringify)', () => {
  const deep = `{"id":1,"process":"c1","op":"get","key":${'['.repeat(10_000)}${']'.repeat(10_000)},"result":null,"invoke":3,"complete":4,"outcome":"ok"}`;
  const { code, stderr } = check([file('deep.jsonl', `${line({ id: 0 })}\n${deep}\n`)]);
  expect(stderr).toContain('deep.jsonl line 2: field "key" must be a non-empty string, got an array of 1 item');
  expect(code).toBe(2);
});

test('a crash inside the checker is exit 2 that says so, never a verdict (failpoint fixture)', () => {
  // Two overlapping writes and a read of the first: the search takes the read before the second write
  // (a pending operation below a taken one), where the failpoint fires.
  const h = [line({ id: 0, invoke: 0, complete: 10 }), line({ id: 1, value: 'v2', invoke: 0, complete: 10 }),
    line({ id: 2, op: 'get', result: 'v1', invoke: 1, complete: 9, value: undefined })].join('\n');
  const { code, stdout, stderr } = check([file('crash.jsonl', h)], ['--import', './test/fixtures/crash-inside-checker.mjs']);
  expect(stdout).toBe('');
  expect(stderr).toContain('internal error while checking');
  expect(stderr).toContain('TypeError: injected by test/fixtures/crash-inside-checker.mjs');
  expect(stderr).toContain('not a verdict about the history (exit 2)');
  expect(code).toBe(2);
});

test('the overlapping ghost-read history is a real verdict: the read of a value never written, found without a search', () => {
  const { code, stdout } = check([file('ghost.jsonl', formatHistory(ghostReadHistory()))]);
  expect(stdout).toContain('#1999 process "r999" get → "ghost" ok, 1.999 ms – 99.000 ms');
  expect(stdout).toContain('Likely anomaly: #1999 read "ghost", a value no operation on key "k" wrote.');
  expect(stdout).toContain('Verdict: NOT LINEARIZABLE (exit 1)');
  expect(code).toBe(1);
});

test('a search that outgrows its memory budget is exit 2 "unknown", never an out-of-memory kill', () => {
  const { code, stdout } = check([file('future.jsonl', formatHistory(ghostReadHistory(1_000, true))), '--memory', '32']);
  expect(stdout).toMatch(/\? "k"\s+unknown\s+2001 ops — memory budget of 32 MB exceeded after \d+ states; raise it with --memory <MB>/);
  expect(stdout).toContain('Verdict: UNKNOWN');
  expect(code).toBe(2);
});

test('many files in one call: one verdict line each, and the worst exit code (an anomaly outranks unknown)', () => {
  const good = file('good.jsonl', `${line({ id: 0 })}\n${line({ id: 1, op: 'get', result: 'v1', invoke: 3, complete: 4 })}\n`);
  const stale = file('stale.jsonl', [line({ id: 0 }), line({ id: 1, value: 'v2', invoke: 3, complete: 4 }), line({ id: 2, op: 'get', result: 'v1', invoke: 5, complete: 6 })].join('\n'));
  const broken = file('broken.jsonl', `${line({ id: 0, attempts: [1] })}\n`);
  const all = check([good, broken, stale]);
  expect(all.stdout.split('\n')).toEqual([
    expect.stringMatching(/^✓ .*good\.jsonl: linearizable \(2 operations on 1 key, [\d.]+ ms\)$/),
    expect.stringMatching(/^! .*broken\.jsonl: unusable — .*broken\.jsonl line 1: field "attempts\[0\]" must be an object/),
    expect.stringMatching(/^✗ .*stale\.jsonl: NOT linearizable — 1 key not linearizable, 1 lost write \(3 operations on 1 key/),
    'Checked 3 files: exit 1',
    '',
  ]);
  expect(all.code).toBe(1);
  expect(check([good, broken]).code).toBe(2);
  expect(check([good, good]).code).toBe(0);
  const json = check([good, stale, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(json.map((j) => [j.exit, j.result.verdict])).toEqual([[0, 'linearizable'], [1, 'not-linearizable']]);
});
