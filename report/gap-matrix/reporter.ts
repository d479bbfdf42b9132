// The gap-matrix reporter: at the end of a run, the seed's matrix as it stands — declared status
// (read statically from the specs) × outcome (from this run's tests) — as JSON, Markdown, HTML,
// and as global attachments of the Allure report.
import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite } from '@playwright/test/reporter';
import { readSpecs } from '../static/read-specs.ts';
import { allureLinks } from './allure-links.ts';
import { writeAllureGlobals } from './allure-globals.ts';
import { buildGapMatrix } from './build.ts';
import { recordFromTestCase } from './from-test-case.ts';
import type { GapMatrix } from './model.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { specFiles } from './spec-files.ts';

/** Reporter options; relative paths are relative to the config file's folder. */
export interface GapMatrixOptions {
  /** Where gap-matrix.{json,md,html} go. Default `gap-matrix`. */
  outputDir?: string;
  /** allure-playwright's resultsDir: links are read from it and the matrix attached to it; false for neither. Default `allure-results`. */
  allureResultsDir?: string | false;
  /** Where `npm run report` builds the Allure report, for links. Default `allure-report`. */
  allureReportDir?: string;
  /** Spec globs to read instead of the projects' testDir × testMatch. */
  specs?: string[];
  title?: string;
  /** No "Gap matrix: …" line at the end. */
  quiet?: boolean;
}

/** The Playwright reporter (register it after allure-playwright, so Allure's results exist for links). */
export default class GapMatrixReporter implements Reporter {
  private config?: FullConfig;
  private suite?: Suite;
  /** The last matrix written, for callers and tests. */
  matrix?: GapMatrix;

  constructor(private readonly options: GapMatrixOptions = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
  }

  async onEnd(_result: FullResult): Promise<void> {
    if (!this.config || !this.suite || process.argv.includes('--list')) return;
    const base = this.config.configFile ? path.dirname(this.config.configFile) : process.cwd();
    const at = (p: string) => path.resolve(base, p);
    const outputDir = at(this.options.outputDir ?? 'gap-matrix');
    const runs = this.suite.allTests().map(recordFromTestCase);
    const patterns = this.options.specs ?? specFiles(this.config, this.suite);
    const reading = readSpecs({ patterns, cwd: base });
    const resultsDir = this.options.allureResultsDir === false ? undefined : at(this.options.allureResultsDir ?? 'allure-results');
    const links = resultsDir ? allureLinks(runs, resultsDir, at(this.options.allureReportDir ?? 'allure-report'), outputDir) : undefined;
    const matrix = buildGapMatrix(reading.scenarios, runs, { allureLinks: links });
    const html = renderHtml(matrix, this.options.title);
    const md = renderMarkdown(matrix, this.options.title);
    fs.mkdirSync(outputDir, { recursive: true });
    fs.writeFileSync(path.join(outputDir, 'gap-matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
    fs.writeFileSync(path.join(outputDir, 'gap-matrix.md'), md);
    fs.writeFileSync(path.join(outputDir, 'gap-matrix.html'), html);
    if (resultsDir) {
      writeAllureGlobals(resultsDir, [
        { name: 'Gap matrix (HTML)', content: html, contentType: 'text/html', extension: 'html' },
        { name: 'Gap matrix (Markdown)', content: md, contentType: 'text/markdown', extension: 'md' },
      ]);
    }
    this.matrix = matrix;
    const shown = path.relative(process.cwd(), path.join(outputDir, 'gap-matrix.html'));
    if (!this.options.quiet) process.stdout.write(`Gap matrix: ${shown.startsWith('..') ? path.join(outputDir, 'gap-matrix.html') : shown}\n`);
  }
}
