// Readiness as configured: an HTTP status (and body), a successful gRPC call, or a log line written
// since the node's latest start — an older start's line must not count after a restart.
import { FaultlineError } from '../../dsl/errors.ts';
import fs from 'node:fs';
import http from 'node:http';
import type { NodeSpec } from '../../runner/contract/service.ts';
import { GrpcServiceClient } from './client.ts';
import { HOST } from './launch.ts';
import type { ProtoRegistry } from './proto-registry.ts';
import { buildRequest } from './request.ts';
import type { ReadinessConfig } from './service-config.ts';

/** What one probe saw. */
export interface ProbeResult {
  ready: boolean;
  detail: string;
}

/** What a probe needs besides the node: the schema, the client port, and where the latest start's log begins. */
export interface ProbeContext {
  registry: ProtoRegistry;
  clientPort: string;
  /** The log file's size when the node was last launched. */
  logOffset?: number;
  timeoutMs?: number;
}

/** One readiness probe of `node`. */
export function probeNode(readiness: ReadinessConfig, node: NodeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const timeoutMs = ctx.timeoutMs ?? 1000;
  if ('http' in readiness) return probeHttp(node.ports[readiness.http.port]!, readiness.http, timeoutMs);
  if ('grpc' in readiness) return probeGrpc(readiness.grpc, `${HOST}:${node.ports[ctx.clientPort]}`, ctx.registry, timeoutMs);
  return Promise.resolve(probeLog(readiness.log, node.logFile, ctx.logOffset ?? 0));
}

/** GET the path: ready on the expected status (200 by default) and, if given, a body matching the regex. */
export function probeHttp(port: number, check: { path: string; status?: number; body?: string }, timeoutMs = 1000): Promise<ProbeResult> {
  const url = `http://${HOST}:${port}${check.path}`;
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        const ready = res.statusCode === (check.status ?? 200) && (check.body === undefined || new RegExp(check.body).test(body));
        resolve({ ready, detail: `GET ${url} → ${res.statusCode} ${body.trim().slice(0, 200)}` });
      });
    });
    req.on('timeout', () => req.destroy(new FaultlineError(`no answer within ${timeoutMs}ms`)));
    req.on('error', (e) => resolve({ ready: false, detail: `GET ${url} → ${e.message}` }));
  });
}

/** Ready when the call answers OK. */
export async function probeGrpc(check: { call: string; request?: Record<string, unknown> }, address: string, registry: ProtoRegistry, timeoutMs = 1000): Promise<ProbeResult> {
  const client = new GrpcServiceClient('probe', registry, {});
  const rpc = registry.rpc(check.call)!;
  try {
    await client.call(rpc, buildRequest(check.request ?? {}, {}, rpc.request, registry), address, timeoutMs);
    return { ready: true, detail: `"${check.call}" at ${address} → OK` };
  } catch (e) {
    return { ready: false, detail: (e as Error).message };
  } finally {
    client.close();
  }
}

/** Ready once a line written after `offset` matches the regex. */
export function probeLog(pattern: string, logFile: string, offset = 0): ProbeResult {
  let text = '';
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buf, 0, buf.length, offset);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { ready: false, detail: `log line /${pattern}/ not seen: "${logFile}" does not exist yet` };
  }
  const re = new RegExp(pattern);
  const lines = text.split('\n').filter(Boolean);
  const hit = lines.find((l) => re.test(l));
  return hit ? { ready: true, detail: `log line: ${hit}` } : { ready: false, detail: `log line /${pattern}/ not seen in ${lines.length} line(s) since the start` };
}
