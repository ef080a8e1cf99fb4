import { describe, expect, it } from 'vitest';
import { makeFixture } from './fixtures.js';
import { renderHtmlReport } from './html-report.js';
import { vcpuCell } from './html-answer.js';

describe('the answer table: sidecar vCPU per 1k req/s', () => {
  it('shows the median over trials with its interval, rounded outward, and the coverage when below 95 %', () => {
    expect(vcpuCell({ n: 6, median: 0.1623, low: 0.15049, high: 0.17001, coverage: 0.96875 }, 0.16)).toBe('<td class="num">0.162 [0.150, 0.171]</td>');
    expect(vcpuCell({ n: 4, median: 0.2, low: 0.19, high: 0.21, coverage: 0.875 }, 0.2)).toBe('<td class="num">0.200 [0.190, 0.210]<br><span class="caveat">87.5 % CI</span></td>');
    // One trial: no interval, the figure alone.
    expect(vcpuCell({ n: 1, median: 0.3, low: 0.3, high: 0.3, coverage: 0 }, 0.3)).toBe('<td class="num">0.300</td>');
  });

  it('puts an interval in every sidecar row of the report', async () => {
    const { results, summary } = makeFixture();
    const html = await renderHtmlReport(results, summary);
    const answer = html.slice(html.indexOf('id="answer"'), html.indexOf('</table>', html.indexOf('id="answer"')));
    const sidecarRows = answer.split('<tr>').filter((row) => row.includes('scope="row">sidecar'));
    expect(sidecarRows.length).toBeGreaterThan(0);
    for (const row of sidecarRows) expect(row).toMatch(/<td class="num">\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
  });
});

describe('the answer’s method line', () => {
  it('counts the rounds an adaptive run took, not the minimum its scenario’s trials hold', async () => {
    // 9 rounds measured; an adaptive scenario's trials hold its minimum (6), results.rounds what it used.
    const { results, summary } = makeFixture({ rounds: 9 });
    const adaptive = { ...results, scenario: { ...results.scenario, trials: 6 }, rounds: { min: 6, max: 30, used: 9, stop: 'decided' as const, detail: 'every check decided after 9 rounds' } };
    const html = await renderHtmlReport(adaptive, summary);
    expect(html.includes('9 measured trials per topology, interleaved')).toBe(true);
    expect(html.includes('6 measured trials per topology')).toBe(false);
    // A fixed-size run still says its trials.
    expect((await renderHtmlReport(results, summary)).includes('9 measured trials per topology, interleaved')).toBe(true);
  });
});
