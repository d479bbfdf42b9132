#!/usr/bin/env node
// `npm run report`: builds the Allure 3 HTML report from allure-results/ (pure JS, no Java).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

if (!fs.existsSync('allure-results')) {
  process.stderr.write('No allure-results/ yet: run the scenarios first (npm start, or npx playwright test).\n');
  process.exit(1);
}
fs.rmSync('allure-report', { recursive: true, force: true });
const r = spawnSync('npx', ['allure', 'generate', 'allure-results', '--config', 'allurerc.mjs', '-o', 'allure-report'], { stdio: 'inherit' });
if (r.status === 0) process.stdout.write('Allure report: allure-report/index.html (open it with: npx allure open allure-report)\n');
process.exit(r.status ?? 1);
