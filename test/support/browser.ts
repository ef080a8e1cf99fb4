/**
 * Opens an HTML report from a file in Debian's Chromium, offline, and reports what it fetched and
 * drew. Needs /usr/bin/chromium (apt-get install -y chromium); under CI=true its absence is a failure.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHART_CONTAINER_CLASS } from '../../src/report/html-report.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RENDER_TIMEOUT_MS = 60_000;
const ALLOWED_SCHEMES = ['file:', 'data:', 'about:'];

export const chromiumPresent = existsSync(CHROMIUM_PATH);
export const MISSING_CHROMIUM = `${CHROMIUM_PATH} not found (install it with: apt-get install -y chromium)`;

export interface PageVisit {
  failedRequests: string[];
  /** Requests to anything but file:, data: or about:. */
  foreignRequests: string[];
  consoleErrors: string[];
  charts: { id: string; failed: boolean; marks: number }[];
}

export async function visitReport(pagePath: string, expectedCharts: number): Promise<PageVisit> {
  const profile = await mkdtemp(join(tmpdir(), 'sidecar-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  try {
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
    // caller's assertions report why, instead of a timeout).
    await page.waitForFunction(
      ({ selector, count }) => {
        const containers = Array.from(document.querySelectorAll(selector));
        const drawn = (container: Element) => Array.from(container.children).some((child) => ['svg', 'canvas'].includes(child.tagName.toLowerCase()));
        return containers.length === count && containers.every((container) => drawn(container) || container.classList.contains('chart-error'));
      },
      { selector: `.${CHART_CONTAINER_CLASS}`, count: expectedCharts },
      { timeout: RENDER_TIMEOUT_MS },
    );
    // Every vegaEmbed promise has settled.
    await page.waitForFunction(() => document.body.hasAttribute('data-charts-done'), null, { timeout: RENDER_TIMEOUT_MS });
    const charts = await page.evaluate(
      (selector) =>
        Array.from(document.querySelectorAll(selector)).map((container) => ({
          id: container.id,
          failed: container.classList.contains('chart-error'),
          marks: container.querySelectorAll('svg path, svg rect, svg line, svg text').length,
        })),
      `.${CHART_CONTAINER_CLASS}`,
    );
    return { failedRequests, foreignRequests: requests.filter((url) => !ALLOWED_SCHEMES.some((scheme) => url.startsWith(scheme))), consoleErrors, charts };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
