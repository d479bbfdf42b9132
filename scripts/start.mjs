#!/usr/bin/env node
// `npm start`: the scenario suite on the embedded default (etcd), then the Allure report.
// The report is built even when scenarios fail; the exit code is the suite's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

fs.rmSync('allure-results', { recursive: true, force: true });
const extra = process.argv.slice(2);
const suite = spawnSync('npx', ['playwright', 'test', '--project=etcd', ...extra], { stdio: 'inherit' });
const report = spawnSync('node', ['scripts/report.mjs'], { stdio: 'inherit' });
process.exit(suite.status !== 0 ? (suite.status ?? 1) : (report.status ?? 1));
