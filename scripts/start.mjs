#!/usr/bin/env node
// `npm start`: the scenario suite — the etcd column runs everywhere; the seed's services run where
// their binaries are configured and show "not configured" otherwise — then the Allure report and
// the gap matrix. The report is built even when scenarios fail; the exit code is the suite's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

fs.rmSync('allure-results', { recursive: true, force: true });
const extra = process.argv.slice(2);
fs.rmSync('gap-matrix', { recursive: true, force: true });
const suite = spawnSync('npx', ['playwright', 'test', ...extra], { stdio: 'inherit' });
const report = spawnSync('node', ['scripts/report.mjs'], { stdio: 'inherit' });
process.exit(suite.status !== 0 ? (suite.status ?? 1) : (report.status ?? 1));
