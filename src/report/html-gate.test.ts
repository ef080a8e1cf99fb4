import { describe, expect, it } from 'vitest';
import type { GateResult } from '../gate/index.js';
import { makeFixture } from './fixtures.js';
import { renderHtmlReport } from './html-report.js';
import { renderGate, renderGateChecks } from './html-gate.js';

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
    expect(renderGateChecks(undefined)).toBe('');
  });

  it('opens with the verdict and one line per check that did not pass, not the whole table', () => {
    const passed = { ...GATE.checks[0]!, name: 'sidecar: error-rate ≤ 0.1%', verdict: 'pass' as const };
    const html = renderGate({ ...GATE, checks: [...GATE.checks, passed] }, 'Rounds: 6 of 6…30');
    expect(html).toContain('<p class="verdict-line fail">Gate FAILED');
    expect(html).toContain('<p class="rounds">Rounds: 6 of 6…30</p>');
    expect(html).toContain('<li><span class="verdict fail">FAIL</span> sidecar: overhead p99 (differential) ≤ 2ms — could detect fails ≥ 2.300 ms, passes ≤ 1.700 ms</li>');
    expect(html).not.toContain('error-rate');
    expect(html).not.toContain('<table>');
  });

  it('shows the verdict, each check with its value, verdict and reason, escaped', () => {
    expect(renderGate(GATE)).toContain('<p class="verdict-line fail">Gate FAILED: 0 passed, 1 failed, 0 inconclusive (counted as pass), 0 not evaluated.</p>');
    const html = renderGateChecks(GATE);
    expect(html).toContain('<td>sidecar: overhead p99 (differential) ≤ 2ms</td><td>2.500 ms <span class="ci">[2.200 ms, 2.800 ms]</span></td>');
    expect(html).toContain('<td class="verdict fail">FAIL</td><td>fails ≥ 2.300 ms, passes ≤ 1.700 ms</td><td>the whole confidence interval &lt;beyond&gt; the limit</td>');
  });

  it('puts the verdict first, then the answer, then the table of checks', async () => {
    const { results, summary } = makeFixture();
    const page = await renderHtmlReport(results, summary, GATE);
    const gateAt = page.indexOf('<section id="gate">');
    expect(gateAt).toBeGreaterThan(0);
    expect(gateAt).toBeLessThan(page.indexOf('<section id="key-figures">'));
    expect(page.indexOf('<section id="key-figures">')).toBeLessThan(page.indexOf('<section id="gate-checks">'));
  });
});
