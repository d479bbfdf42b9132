// Helpers for the services tests: resolved configs from the shipped defaults (no user file, an empty
// environment), temporary config files, and node specs pointing at a wire fixture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterSpec, NodeSpec } from '../../runner/contract/service.ts';
import { loadServiceConfigs } from '../../services/config-file.ts';
import type { ServiceConfig } from '../../services/grpc-service/service-config.ts';
import { SHIPPED_DEFAULTS } from '../../services/index.ts';

const created: string[] = [];
// The roots are scratch space: removed when the worker exits, so no run leaves them in /tmp.
process.once('exit', () => created.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A directory that holds no faultline.services.json. */
export function emptyRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-services-'));
  created.push(dir);
  return dir;
}

/** The resolved configs as a user with nothing configured gets them. */
export function shippedConfigs(env: NodeJS.ProcessEnv = {}): Record<keyof typeof SHIPPED_DEFAULTS, ServiceConfig> {
  return loadServiceConfigs(SHIPPED_DEFAULTS, { env, root: emptyRoot() });
}

/** Writes `json` as faultline.services.json in a fresh root (plus any extra files) and returns the root. */
export function rootWithConfig(json: unknown, files: Record<string, string> = {}): string {
  const root = emptyRoot();
  fs.writeFileSync(path.join(root, 'faultline.services.json'), typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return root;
}

/** An executable that exits at once: a stand-in path for "a configured binary" (never started by these tests). */
export function fakeExecutable(root: string, name = 'bin/server.sh'): string {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

/** A node whose ports are given by name (e.g. the fixture's gRPC and HTTP ports). */
export function nodeSpec(index: number, ports: Record<string, number>, dir = '/tmp/faultline-test'): NodeSpec {
  return { name: `node-${index}`, index, dataDir: `${dir}/node-${index}.data`, logFile: `${dir}/node-${index}.log`, ports };
}

/** A cluster spec over the given nodes. */
export function clusterSpec(nodes: NodeSpec[]): ClusterSpec {
  return { token: 'faultline-test-token', nodes };
}
