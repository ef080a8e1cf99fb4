import { describe, expect, it } from 'vitest';
import type { GateResult } from '../gate/index.js';
import { makeFixture } from './fixtures.js';
import { renderHtmlReport } from './html-report.js';
import { renderGate } from './html-gate.js';

const GATE: GateResult = {
  checks: [
    {
      kind: 'threshold',
      name: 'sidecar: overhead p99 (differential) ≤ 2ms',
      arm: 'sidecar',
      metric: 'overhead',
      value: { n: 6, median: 2500, low: 2200, high: 2800, coverage: 0.97 },
      verdict: 'fail',
      reason: 'the whole confidence interval <beyond> the limit',
      detectable: 'fails ≥ 2.300 ms, passes ≤ 1.700 ms',
    },
  ],
  inconclusivePolicy: 'pass',
  verdict: 'fail',
  counts: { pass: 0, fail: 1, inconclusive: 0, 'not-evaluated': 0 },
  runErrors: [],
};

describe('the gate in the HTML report', () => {
  it('is absent without a gate', () => {
    expect(renderGate(undefined)).toBe('');
  });

  it('shows the verdict, each check with its value, verdict and reason, escaped', () => {
    const html = renderGate(GATE);
    expect(html).toContain('<p class="verdict-line fail">Gate FAILED: 0 passed, 1 failed, 0 inconclusive (counted as pass), 0 not evaluated.</p>');
    expect(html).toContain('<td>sidecar: overhead p99 (differential) ≤ 2ms</td><td>2.500 ms <span class="ci">[2.200 ms, 2.800 ms]</span></td>');
    expect(html).toContain('<td class="verdict fail">FAIL</td><td>fails ≥ 2.300 ms, passes ≤ 1.700 ms</td><td>the whole confidence interval &lt;beyond&gt; the limit</td>');
  });

  it('comes first on the page, right after the header', async () => {
    const { results, summary } = makeFixture();
    const page = await renderHtmlReport(results, summary, GATE);
    const gateAt = page.indexOf('<section id="gate">');
    expect(gateAt).toBeGreaterThan(0);
    expect(gateAt).toBeLessThan(page.indexOf('<section id="key-figures">'));
  });
});
