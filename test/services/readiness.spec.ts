// Readiness probes on real sockets and files: HTTP status and body, and a log line that counts only
// when written after the node's latest launch (so a restart does not see the previous start's line).
import fs from 'node:fs';
import http from 'node:http';
import { test, expect } from '@playwright/test';
import { grpcService } from '../../services/grpc-service/definition.ts';
import { probeHttp } from '../../services/grpc-service/probe.ts';
import { clusterSpec, emptyRoot, fakeExecutable, nodeSpec, shippedConfigs } from './service-test-helpers.ts';

test('HTTP readiness: the expected status, and the body regex when one is configured', async () => {
  let answer = { status: 503, body: '{"status":"starting"}' };
  const server = http.createServer((_, res) => res.writeHead(answer.status).end(answer.body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const check = { path: '/health', body: '"status":"ok"' };
    expect(await probeHttp(port, check)).toEqual({ ready: false, detail: `GET http://127.0.0.1:${port}/health → 503 {"status":"starting"}` });
    answer = { status: 200, body: '{"status":"degraded"}' };
    expect((await probeHttp(port, check)).ready).toBe(false);
    answer = { status: 200, body: '{"status":"ok"}' };
    expect((await probeHttp(port, check)).ready).toBe(true);
    expect((await probeHttp(port, { path: '/health', status: 204 })).ready).toBe(false);
  } finally {
    server.close();
  }
});

test('log-line readiness counts only lines written since the latest launch', async () => {
  const root = emptyRoot();
  const config = { ...shippedConfigs({ FLAREDB_BIN: fakeExecutable(root) }).flaredb, pd: ['127.0.0.1:2379'], readiness: { log: 'Reconnected to PD|server ready' } };
  const service = grpcService(config);
  const node = nodeSpec(1, { api: 1, raft: 2, http: 3 }, root);
  const cluster = clusterSpec([node]);
  const log = (line: string) => fs.appendFileSync(node.logFile, `${line}\n`);

  service.launch(node, cluster);
  expect(await service.probe(node)).toEqual({ ready: false, detail: `log line /Reconnected to PD|server ready/ not seen: "${node.logFile}" does not exist yet` });
  log('INFO starting');
  expect(await service.probe(node)).toEqual({ ready: false, detail: 'log line /Reconnected to PD|server ready/ not seen in 1 line(s) since the start' });
  log('INFO server ready on 127.0.0.1:1');
  expect(await service.probe(node)).toEqual({ ready: true, detail: 'log line: INFO server ready on 127.0.0.1:1' });

  service.launch(node, cluster); // a restart appends to the same log file
  expect((await service.probe(node)).ready, "the previous start's line does not count").toBe(false);
  log('DEBUG Reconnected to PD');
  expect(await service.probe(node)).toEqual({ ready: true, detail: 'log line: DEBUG Reconnected to PD' });
});
