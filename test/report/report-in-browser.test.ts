/**
 * Integration tier: the HTML report opened from a file in a real Chromium, offline. It must draw
 * every chart without a single network request, failed request or console error.
 *
 * Needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium). Without it the test
 * is skipped, except under CI=true, where it fails: a skipped check there would pass silently.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportCharts } from '../../src/report/charts.js';
import { makeFixture } from '../../src/report/fixtures.js';
import { CHART_CONTAINER_CLASS, renderHtmlReport } from '../../src/report/html-report.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RENDER_TIMEOUT_MS = 60_000;
const ALLOWED_SCHEMES = ['file:', 'data:', 'about:'];

const chromiumPresent = existsSync(CHROMIUM_PATH);
const inCi = process.env['CI'] === 'true';
const MISSING = `${CHROMIUM_PATH} not found (install it with: apt-get install -y chromium)`;

if (!chromiumPresent && !inCi) console.warn(`report-in-browser: skipped, ${MISSING}`);

describe('HTML report in Chromium', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  if (!chromiumPresent && inCi) {
    it('has a browser to test with', () => {
      throw new Error(`CI=true and ${MISSING}; this test fails rather than skips in CI`);
    });
    return;
  }

  it.skipIf(!chromiumPresent)(
    chromiumPresent ? 'opens offline and draws every chart' : `opens offline and draws every chart (skipped: ${MISSING})`,
    async () => {
      const { results, summary } = makeFixture({ withFailedTrial: true });
      const expectedCharts = buildReportCharts(summary).length;
      expect(expectedCharts).toBe(7);

      const folder = await mkdtemp(join(tmpdir(), 'sidecar-bench-report-'));
      cleanups.push(() => rm(folder, { recursive: true, force: true }));
      const pagePath = join(folder, 'index.html');
      await writeFile(pagePath, await renderHtmlReport(results, summary), 'utf8');
      const userDataDir = join(folder, 'chromium-profile');

      const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      cleanups.push(() => context.close());

      const requests: string[] = [];
      const failedRequests: string[] = [];
      const consoleErrors: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      context.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));

      await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load' });
      // Until each chart container has an <svg> or <canvas> child, or says it could not draw (then the
      // assertions below report why, instead of a timeout).
      await page.waitForFunction(
        ({ selector, count }) => {
          const containers = Array.from(document.querySelectorAll(selector));
          const drawn = (container: Element) =>
            Array.from(container.children).some((child) => ['svg', 'canvas'].includes(child.tagName.toLowerCase()));
          return containers.length === count && containers.every((container) => drawn(container) || container.classList.contains('chart-error'));
        },
        { selector: `.${CHART_CONTAINER_CLASS}`, count: expectedCharts },
        { timeout: RENDER_TIMEOUT_MS },
      );
      // Every vegaEmbed promise has settled.
      await page.waitForFunction(() => document.body.hasAttribute('data-charts-done'), null, { timeout: RENDER_TIMEOUT_MS });

      const rendered = await page.evaluate((selector) => {
        return Array.from(document.querySelectorAll(selector)).map((container) => ({
          id: container.id,
          failed: container.classList.contains('chart-error'),
          marks: container.querySelectorAll('svg path, svg rect, svg line, svg text').length,
        }));
      }, `.${CHART_CONTAINER_CLASS}`);

      expect(failedRequests).toEqual([]);
      expect(requests.filter((url) => !ALLOWED_SCHEMES.some((scheme) => url.startsWith(scheme)))).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(rendered).toHaveLength(expectedCharts);
      for (const chart of rendered) {
        expect(chart.failed, `${chart.id} could not be drawn`).toBe(false);
        expect(chart.marks, `${chart.id} has drawn marks`).toBeGreaterThan(20);
      }
    },
  );
});
