// Proxy overhead against direct, measured in the same run on small unary etcd RPCs: added p50/p99
// latency and throughput ratio. Goal: at most 100 µs added at p50 and at least 0.9× direct throughput.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startClock } from '../runner/time/clock.ts';
import { FaultProxy } from '../runner/proxy/fault-proxy.ts';

/** One line of the result table; `met` is null where no goal applies. */
export interface ProxyBenchRow {
  metric: string;
  direct: string;
  proxied: string;
  difference: string;
  goal: string;
  met: boolean | null;
}

/** Knobs for a shorter or longer run; defaults take about 40 s on 2 cores. */
export interface ProxyBenchOptions {
  rounds?: number;
  /** Sequential RPCs per mode per round, for latency. */
  sequential?: number;
  /** RPCs per mode per round at `inFlight` concurrency, for throughput. */
  concurrent?: number;
  inFlight?: number;
  etcdBinary?: string;
}

const P50_GOAL_US = 100;
const THROUGHPUT_GOAL_RATIO = 0.9;
const here = path.dirname(fileURLToPath(import.meta.url));

type RangeClient = grpc.Client & {
  Range(request: { key: Buffer }, callback: (error: grpc.ServiceError | null, response?: unknown) => void): void;
};

/** Starts etcd, measures direct vs proxied in interleaved rounds, always kills etcd. */
export async function run(options: ProxyBenchOptions = {}): Promise<ProxyBenchRow[]> {
  const rounds = options.rounds ?? 6;
  const sequential = options.sequential ?? 1500;
  const concurrent = options.concurrent ?? 4000;
  const inFlight = options.inFlight ?? 32;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'faultline-proxy-bench-'));
  const [clientPort, peerPort] = (await freePorts(2)) as [number, number];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const etcd = execa(options.etcdBinary ?? '/usr/bin/etcd', [
    '--name', 'default', '--data-dir', dataDir,
    '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `default=${peerUrl}`,
  ], { detached: true, reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
  const kill = () => {
    if (etcd.pid !== undefined && etcd.exitCode === null) {
      try {
        process.kill(-etcd.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  const onSignal = () => {
    kill();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let proxy: FaultProxy | undefined;
  const clients: RangeClient[] = [];
  try {
    await waitHealthy(clientUrl, 15_000);
    await seedKey(clientUrl, 'bench-key', 'v'.repeat(32));
    proxy = await FaultProxy.start({
      name: 'bench→etcd', listenPort: 0, target: { host: '127.0.0.1', port: clientPort }, clock: startClock(),
    });
    const KV = loadKvClient();
    const direct = new KV(`127.0.0.1:${clientPort}`, grpc.credentials.createInsecure()) as unknown as RangeClient;
    const proxied = new KV(`127.0.0.1:${proxy.port}`, grpc.credentials.createInsecure()) as unknown as RangeClient;
    clients.push(direct, proxied);
    const key = Buffer.from('bench-key');
    const call = (client: RangeClient) =>
      new Promise<void>((resolve, reject) =>
        client.Range({ key }, (error) => {
          if (!error) return resolve();
          const mode = client === direct ? 'direct' : `via proxy (records: ${JSON.stringify(proxy?.records.connections)})`;
          reject(new Error(`Range ${mode} failed: ${error.message}`, { cause: error }));
        }),
      );

    for (const client of clients) await sequentialLatencies(() => call(client), 500);
    const latency = { direct: [] as number[], proxied: [] as number[] };
    const seconds = { direct: 0, proxied: 0 };
    for (let round = 0; round < rounds; round++) {
      // Alternate which mode goes first so drift (GC, CPU frequency, etcd compaction) hits both alike.
      const order = round % 2 === 0 ? (['direct', 'proxied'] as const) : (['proxied', 'direct'] as const);
      for (const mode of order) {
        const client = mode === 'direct' ? direct : proxied;
        latency[mode].push(...(await sequentialLatencies(() => call(client), sequential)));
        seconds[mode] += await concurrentSeconds(() => call(client), concurrent, inFlight);
      }
    }
    return tabulate(latency, {
      direct: (concurrent * rounds) / seconds.direct,
      proxied: (concurrent * rounds) / seconds.proxied,
    }, inFlight);
  } finally {
    for (const client of clients) client.close();
    await proxy?.close();
    kill();
    await etcd;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Renders rows as a markdown table. */
export function toMarkdown(rows: ProxyBenchRow[]): string {
  const head = '| metric | direct | via proxy | difference | goal | met |\n|---|---|---|---|---|---|';
  const yesNo = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : 'NO');
  return [head, ...rows.map((r) => `| ${r.metric} | ${r.direct} | ${r.proxied} | ${r.difference} | ${r.goal} | ${yesNo(r.met)} |`)].join('\n');
}

function tabulate(
  latency: { direct: number[]; proxied: number[] },
  throughput: { direct: number; proxied: number },
  inFlight: number,
): ProxyBenchRow[] {
  const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
  const row = (q: number, goalUs?: number): ProxyBenchRow => {
    const d = percentile(latency.direct, q);
    const p = percentile(latency.proxied, q);
    const addedUs = (p - d) * 1000;
    return {
      metric: `p${q} latency (sequential, ${latency.direct.length} RPCs each)`,
      direct: us(d),
      proxied: us(p),
      difference: `${addedUs >= 0 ? '+' : ''}${Math.round(addedUs)} µs`,
      goal: goalUs === undefined ? '—' : `≤ +${goalUs} µs`,
      met: goalUs === undefined ? null : addedUs <= goalUs,
    };
  };
  const ratio = throughput.proxied / throughput.direct;
  return [
    row(50, P50_GOAL_US),
    row(99),
    {
      metric: `throughput (${inFlight} in flight)`,
      direct: `${Math.round(throughput.direct)} RPC/s`,
      proxied: `${Math.round(throughput.proxied)} RPC/s`,
      difference: `${ratio.toFixed(2)}×`,
      goal: `≥ ${THROUGHPUT_GOAL_RATIO}×`,
      met: ratio >= THROUGHPUT_GOAL_RATIO,
    },
  ];
}

async function sequentialLatencies(call: () => Promise<void>, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Seconds to complete `count` calls with `inFlight` outstanding at all times. */
async function concurrentSeconds(call: () => Promise<void>, count: number, inFlight: number): Promise<number> {
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      issued++;
      await call();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (performance.now() - started) / 1000;
}

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? Number.NaN;
}

function loadKvClient(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(path.join(here, '..', 'services', 'etcd', 'proto', 'etcd-v3-min.proto'), {
    keepCase: true, longs: String, defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    etcdserverpb: { KV: grpc.ServiceClientConstructor };
  };
  return loaded.etcdserverpb.KV;
}

/** Ports the kernel hands out as ephemeral and that were free a moment ago. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitHealthy(clientUrl: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const ladder = [50, 100, 250, 500];
  let last = 'no answer';
  for (let i = 0; performance.now() < deadline; i++) {
    try {
      const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = await response.text();
      if (response.ok && body.includes('"true"')) return;
      last = `HTTP ${response.status} ${body.trim()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, ladder[Math.min(i, ladder.length - 1)]));
  }
  throw new Error(`etcd at "${clientUrl}" not healthy after ${timeoutMs} ms (last: ${last}); check that /usr/bin/etcd starts by hand.`);
}

/** Writes one key through etcd's JSON gateway so Range returns a small but real payload. */
async function seedKey(clientUrl: string, key: string, value: string): Promise<void> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const response = await fetch(`${clientUrl}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key: b64(key), value: b64(value) }),
  });
  if (!response.ok) throw new Error(`etcd put of "${key}" failed: HTTP ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  const rows = await run();
  process.stdout.write(`## Fault proxy overhead (etcd Range, loopback)\n\n${toMarkdown(rows)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
