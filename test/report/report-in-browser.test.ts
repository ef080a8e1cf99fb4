/**
 * Integration tier: the HTML report opened from a file in a real Chromium, offline. It must draw
 * every chart without a single network request, failed request or console error. Without
 * /usr/bin/chromium the test is skipped, except under CI=true, where it fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportCharts } from '../../src/report/charts.js';
import { makeFixture } from '../../src/report/fixtures.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { MISSING_CHROMIUM, chromiumPresent, visitReport } from '../support/browser.js';

const inCi = process.env['CI'] === 'true';
if (!chromiumPresent && !inCi) console.warn(`report-in-browser: skipped, ${MISSING_CHROMIUM}`);

describe('HTML report in Chromium', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  if (!chromiumPresent && inCi) {
    it('has a browser to test with', () => {
      throw new Error(`CI=true and ${MISSING_CHROMIUM}; this test fails rather than skips in CI`);
    });
    return;
  }

  const variants = [
    ['closed loop, with a failed trial', { withFailedTrial: true }],
    ['open model, one rate not sustained', { openModel: true }],
    ['calibration', { calibration: true }],
  ] as const;

  it.skipIf(!chromiumPresent).each(variants)('opens offline and draws every chart: %s', async (_kind, options) => {
    const { results, summary } = makeFixture(options);
    const expectedCharts = buildReportCharts(summary).length;
    expect(expectedCharts).toBe(7);

    const folder = await mkdtemp(join(tmpdir(), 'sidecar-bench-report-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const pagePath = join(folder, 'index.html');
    await writeFile(pagePath, await renderHtmlReport(results, summary), 'utf8');

    const visit = await visitReport(pagePath, expectedCharts);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.charts).toHaveLength(expectedCharts);
    for (const chart of visit.charts) {
      expect(chart.failed, `${chart.id} could not be drawn`).toBe(false);
      expect(chart.marks, `${chart.id} has drawn marks`).toBeGreaterThan(20);
    }
  });
});
