import { describe, expect, it } from 'vitest';
import { makeFixture } from './fixtures.js';
import { formatMs, formatNumber } from './format.js';
import { renderTerminalSummary } from './terminal-summary.js';

const ANSI = /\u001b\[/;
const MINUS = '\u2212';

/** The table row of a topology (its first line). */
const rowOf = (text: string, name: string) => text.split('\n').find((row) => row.startsWith(`│ ${name} `)) ?? '';

describe('renderTerminalSummary', () => {
  const { summary } = makeFixture();
  const byName = (name: string) => summary.topologies.find((t) => t.topology === name)!;

  it('has a row per topology with latency, overhead [CI], errors and sidecar cost', () => {
    const text = renderTerminalSummary(summary);
    const sidecar = byName('sidecar');
    const sidecars = sidecar.resources.filter((r) => r.role === 'sidecar');
    expect(rowOf(text, 'sidecar')).toContain(formatMs(sidecar.latency.p50Us));
    expect(rowOf(text, 'sidecar')).toContain(formatMs(sidecar.latency.p999Us));
    expect(rowOf(text, 'sidecar')).toMatch(/│ +\+0\.436 \[\+0\.36, \+0\.50\] │ +\+0\.906 \[\+0\.72, \+1\.02\] │/);
    expect(rowOf(text, 'sidecar-inbound')).toMatch(/│ +\+0\.235 \[\+0\.226, \+0\.278\] │ +\+0\.482 \[\+0\.468, \+0\.562\] │/);
    expect(rowOf(text, 'sidecar')).toContain(formatNumber(sidecars.reduce((sum, r) => sum + r.vcpuPer1kRps, 0), 3));
    expect(rowOf(text, 'sidecar')).toMatch(/│ +3 \(<0\.01%\) │/);
    expect(rowOf(text, 'app-only')).toContain('baseline');
    expect(rowOf(text, 'app-only')).toMatch(/— │ +— │$/);
    expect(rowOf(text, 'sidecar-inbound')).toContain(formatNumber(byName('sidecar-inbound').rps));
    expect(text).toContain("Δ = per round, the topology's percentile minus app-only's; median over rounds [confidence interval].");
    expect(text).not.toContain('NOT sustained');
    expect(text).not.toContain('Calibration');
  });

  it('has no colour unless asked, and colour when asked', () => {
    expect(renderTerminalSummary(summary)).not.toMatch(ANSI);
    expect(renderTerminalSummary(summary, { color: false })).not.toMatch(ANSI);
    expect(renderTerminalSummary(summary, { color: true })).toMatch(ANSI);
  });

  it('marks failed trials, and an interval below 95 % coverage', () => {
    const text = renderTerminalSummary(makeFixture({ withFailedTrial: true }).summary);
    expect(rowOf(text, 'sidecar (1 failed)')).toContain(' +0.437 [+0.36, +0.50] (93.8 % CI) │ +0.914 [+0.72, +1.02] (93.8 % CI) │');
  });

  it('says under the table which topology did not sustain its open-model rate', () => {
    const text = renderTerminalSummary(makeFixture({ openModel: true }).summary);
    const lines = text.split('\n');
    const tableEnd = lines.findIndex((line) => line.startsWith('└'));
    expect(lines[tableEnd + 1]).toBe(
      'sidecar: the target rate of 4,000/s was NOT sustained (3,600/s sent). 12000 of 120000 scheduled requests (10.0 %) could not be sent: ' +
        'the rate of 4000/s was not sustained. Only 3600/s were sent of the 4000/s scheduled (target 4000/s).',
    );
    expect(lines.filter((line) => line.includes('NOT sustained'))).toHaveLength(1);
  });

  it('prints the calibration checks, the A/A check and the verdict for a calibration run', () => {
    const text = renderTerminalSummary(makeFixture({ calibration: true }).summary);
    const row = (start: string) => text.split('\n').find((line) => line.startsWith(start)) ?? '';
    expect(text).toContain('Calibration: attributed overhead vs calibration-d0 for each injected delay D');
    expect(row('│ 0.500 │ differential ')).toBe('│ 0.500 │ differential        │ +0.503 [+0.476, +0.522] │ ±0.030 │ PASS │ +0.498 [+0.463, +0.542] │ ±0.050 │ PASS │');
    expect(row('│ 1.000 │ header (not judged) ')).toBe(
      `│ 1.000 │ header (not judged) │ ${MINUS}0.004 [${MINUS}0.010, +0.009] │ ±0.050 │ FAIL │ ${MINUS}0.001 [${MINUS}0.018, +0.021] │ ±0.100 │ FAIL │`,
    );
    expect(row('│ 5.000 │ app-µs ')).toContain('│ +5.002 [+4.990, +5.021] │ ±0.250 │ PASS │');
    expect(text).toContain('A/A check: calibration-aa vs calibration-d0 (no difference expected)');
    expect(row('│ differential ')).toBe(`│ differential        │ ${MINUS}0.003 [${MINUS}0.025, +0.015] │ not significant │ ${MINUS}0.002 [${MINUS}0.034, +0.038] │ not significant │`);
    expect(text).toContain('judged by: differential, app-µs (the header estimator cannot see a delay upstream of the proxy that sets the header)');
    expect(text).toContain(
      'Calibration PASSED. Delays: PASS, differential and app-µs attributed every injected delay within tolerance (12 checks). ' +
        'A/A (calibration-aa vs calibration-d0): PASS, no significant difference where there is none.',
    );
  });
});
