import { beforeAll, describe, expect, it } from 'vitest';
import { resultsSchema } from '../results/schema.js';
import { buildReportCharts } from './charts.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { makeFixture } from './fixtures.js';
import { REPORT_DATA_ELEMENT_ID, renderHtmlReport } from './html-report.js';

const HOSTILE = '</script><script>alert(1)</script>';

/** Assertions that report the needle, not the megabyte page, when they fail. */
function expectContains(page: string, needle: string): void {
  expect(page.includes(needle), `page should contain ${JSON.stringify(needle)}`).toBe(true);
}
function expectNotContains(page: string, needle: string): void {
  expect(page.includes(needle), `page should not contain ${JSON.stringify(needle)}`).toBe(false);
}
function expectNoMatch(page: string, pattern: RegExp): void {
  expect(pattern.exec(page)?.[0] ?? null).toBeNull();
}
function expectMatch(page: string, pattern: RegExp): void {
  expect(pattern.test(page), `page should match ${String(pattern)}`).toBe(true);
}

function dataBlock(html: string): string {
  const match = new RegExp(`<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(html);
  if (match?.[1] === undefined) throw new Error('no data block in the page');
  return match[1];
}

describe('renderHtmlReport', () => {
  const fixture = makeFixture({ withFailedTrial: true });
  let html = '';
  beforeAll(async () => {
    html = await renderHtmlReport(fixture.results, fixture.summary);
  });

  it('uses a fixture that is a valid results.json', () => {
    expect(() => resultsSchema.parse(fixture.results)).not.toThrow();
    expect(fixture.summary.topologies.map((t) => t.topology)).toEqual(['app-only', 'sidecar-inbound', 'sidecar']);
  });

  it('has its sections in order, with the overhead tables and the three estimators', () => {
    const order = ['id="key-figures"', 'id="problems"', 'id="latency-pooled"', 'id="latency-over-trials"', 'id="overhead"', 'id="estimators"', 'id="per-request"', 'id="resources"', 'id="how-to-read"'];
    const positions = order.map((needle) => html.indexOf(needle));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expectNotContains(html, 'id="open-model"');
    expectNotContains(html, 'id="calibration"');
  });

  it('answers first: the answer table right after the title, the run, host and images folded below it', () => {
    expect(html.indexOf('id="answer"')).toBeGreaterThan(0);
    expect(html.indexOf('id="answer"')).toBeLessThan(html.indexOf('<details id="run-details">'));
    expect(html.indexOf('<details id="run-details">')).toBeLessThan(html.indexOf('<dt>CPU</dt>'));
    const answer = html.slice(html.indexOf('id="answer"'), html.indexOf('</table>', html.indexOf('id="answer"')));
    expect(answer).toContain('<th scope="col">overhead P50 (ms)</th><th scope="col">overhead P99 (ms)</th>');
    expect(answer).toContain('<td class="num">+0.235 [+0.226, +0.278]</td>');
    expect(answer).toContain('<td class="num muted">baseline</td>');
  });

  it('names every topology, the run and the host', () => {
    for (const topology of fixture.summary.topologies) expectContains(html, `>${topology.topology}<`);
    expectContains(html, fixture.results.run.id);
    expectContains(html, escapeHtml(fixture.results.host.cpuModel));
    expectContains(html, fixture.results.host.kernel);
    expectContains(html, fixture.results.host.dockerVersion);
    expectContains(html, 'AES-NI');
    expectContains(html, 'AVX2');
  });

  it('embeds chart specs that parse back to the specs built from the summary', () => {
    const data = JSON.parse(dataBlock(html)) as { charts: { id: string; spec: unknown }[] };
    const charts = buildReportCharts(fixture.summary);
    expect(data.charts.map((chart) => chart.id)).toEqual(charts.map((chart) => chart.id));
    expect(data.charts.map((chart) => chart.spec)).toEqual(charts.map((chart) => JSON.parse(JSON.stringify(chart.spec)) as unknown));
    for (const chart of charts) expectContains(html, `id="chart-${chart.id}"`);
  });

  it('references no network resource', () => {
    expectNoMatch(html, /\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expectNoMatch(html, /<script\b[^>]*\bsrc\s*=/i);
    expectNoMatch(html, /<link\b(?![^>]*href="data:)[^>]*>/i);
    expectNoMatch(html, /@import|url\(\s*["']?(?:https?:)?\/\//i);
    expectNoMatch(html, /sourceMappingURL/);
    expectContains(html, 'default-src &#39;none&#39;');
  });

  it('inlines vega, vega-lite and vega-embed', () => {
    expectMatch(html, /<script data-library="vega@6\.\d+\.\d+">/);
    expectMatch(html, /<script data-library="vega-lite@6\.\d+\.\d+">/);
    expectMatch(html, /<script data-library="vega-embed@7\.\d+\.\d+">/);
  });

  it('lists failed trials and error messages', () => {
    expectContains(html, 'exited with code 137 (OOMKilled)');
    expectContains(html, '503 Service Unavailable');
    expectNotContains(html, 'role="alert"');
  });

  it('says prominently when the run is not complete', async () => {
    const interrupted = makeFixture({ status: 'interrupted' });
    const page = await renderHtmlReport(interrupted.results, interrupted.summary);
    expectMatch(page, /<div class="banner" role="alert"><strong>This run is INTERRUPTED\.<\/strong>/);
    expectContains(page, 'SB_INTERRUPTED: interrupted by SIGINT');
    expectContains(page, '[interrupted]</title>');
  });

  it('escapes hostile strings from the results', async () => {
    const hostile = makeFixture({ hostileText: HOSTILE, withFailedTrial: true });
    const page = await renderHtmlReport(hostile.results, hostile.summary);
    expectNotContains(page, '<script>alert(1)');
    expectContains(page, escapeHtml(HOSTILE));
    // Description, three topology descriptions (table), an error message, a failed trial, the scenario JSON.
    expect(page.split(escapeHtml(HOSTILE)).length - 1).toBeGreaterThanOrEqual(6);
    expect(page.match(/<script\b/gi)?.length).toBe(html.match(/<script\b/gi)?.length);
    expect(() => JSON.parse(dataBlock(page)) as unknown).not.toThrow();
  });
});

describe('jsonForScript', () => {
  it('leaves no character that can end a script element, and parses back', () => {
    const value = { text: `${HOSTILE} <!-- & > \u2028`, nested: [{ name: '</SCRIPT >' }] };
    const json = jsonForScript(value);
    expectNoMatch(json, /[<>&]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
