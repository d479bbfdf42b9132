// Evidence that only report/ draws: the timeline picture of each run.
import type { TestInfo } from '@playwright/test';
import type { Run } from '../runner/run.ts';
import { renderTimeline, verdictFromCheck } from './timeline/index.ts';

/** Attaches `timeline.svg`: node lanes, faults, operations with their attempts, the verdict. */
export async function attachTimeline(run: Run, testInfo: TestInfo, endMs: number): Promise<void> {
  if (!run.events.events.some((e) => e.kind === 'spawn')) return;
  const lastCheck = run.events.events.findLast((e) => e.kind === 'check');
  const svg = renderTimeline({
    title: `${testInfo.titlePath.slice(1).join(' › ')} [${testInfo.project.name}]`,
    nodes: [],
    events: run.events.events,
    history: run.history,
    verdict: lastCheck ? verdictFromCheck(lastCheck.result) : undefined,
    end: endMs,
  });
  await testInfo.attach('timeline.svg', { body: svg, contentType: 'image/svg+xml' });
}
