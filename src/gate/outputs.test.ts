import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { MedianEstimate } from '../analysis/statistics.js';
import type { GateCheck, GateResult } from './evaluate.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';

const estimate = (median: number): MedianEstimate => ({ n: 6, median, low: median - 10, high: median + 10, coverage: 0.97 });
const check = (verdict: GateCheck['verdict'], name: string): GateCheck => ({
  kind: verdict === 'fail' ? 'regression' : 'threshold',
  name,
  arm: 'sidecar',
  metric: 'overhead',
  value: estimate(600),
  ...(verdict === 'fail' ? { baseline: estimate(500), change: estimate(100) } : {}),
  verdict,
  reason: `because <${verdict}> & "quoted"`,
  detectable: verdict === 'fail' ? '≥ +60 µs' : 'fails ≥ 2.010 ms, passes ≤ 1.990 ms',
});
const RESULT: GateResult = {
  checks: [check('pass', 'sidecar: overhead p99 ≤ 2ms'), check('fail', 'sidecar: overhead p50 no worse than baseline + 50 µs'), check('inconclusive', 'sidecar: sidecar-rss ≤ 512MiB')],
  inconclusivePolicy: 'pass',
  verdict: 'fail',
  counts: { pass: 1, fail: 1, inconclusive: 1, 'not-evaluated': 0 },
  runErrors: [],
};

describe('JUnit XML', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });

  it('has the usual shape: testsuites > testsuite > testcase, with failure and skipped', () => {
    const xml = renderJunit(RESULT, 'sidecar-bench gate: quickstart', '2026-11-26T10:00:00.000Z');
    const document = parser.parse(xml);
    const suite = document.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'sidecar-bench gate: quickstart', tests: '3', failures: '1', skipped: '1', errors: '0' });
    expect(suite.testcase).toHaveLength(3);
    const [passed, failed, inconclusive] = suite.testcase;
    expect(passed.failure).toBeUndefined();
    expect(passed.skipped).toBeUndefined();
    expect(failed.failure).toMatchObject({ type: 'regression', message: 'because <fail> & "quoted"' });
    expect(inconclusive.skipped.message).toBe('inconclusive: because <inconclusive> & "quoted"');
    expect(failed.name).toBe('sidecar: overhead p50 no worse than baseline + 50 µs');
    expect(failed['system-out']).toBe('because <fail> & "quoted"\nsmallest regression this run could detect: ≥ +60 µs');
    expect(passed['system-out']).toBe('because <pass> & "quoted"\nthis run could decide: fails ≥ 2.010 ms, passes ≤ 1.990 ms');
  });

  it('turns inconclusive checks into failures under the "fail" policy', () => {
    const document = parser.parse(renderJunit({ ...RESULT, inconclusivePolicy: 'fail' }, 'suite', 'now'));
    expect(document.testsuites.testsuite).toMatchObject({ failures: '2', skipped: '0' });
    expect(document.testsuites.testsuite.testcase[2].failure.type).toBe('inconclusive');
  });
});

describe('Markdown summary', () => {
  const markdown = renderMarkdownSummary(RESULT, 'quickstart', { scenario: 'quickstart', runId: 'run-1', host: 'AMD EPYC, 2 cores', confidence: 0.95 });
  const lines = markdown.split('\n');
  const tableRows = lines.filter((line) => line.startsWith('|'));

  it('opens with the verdict', () => {
    expect(lines[0]).toBe('## ❌ sidecar-bench gate: FAIL — quickstart');
    expect(lines[2]).toContain('1 passed · 1 failed · 1 inconclusive (counted as pass) · 0 not evaluated');
  });

  it('is one well-formed table: a header, a separator, one row per check, the same columns everywhere', () => {
    expect(tableRows).toHaveLength(2 + RESULT.checks.length);
    expect(tableRows[1]).toBe('|---|---|---|---|---|---|---|');
    const columns = (row: string) => row.split(/(?<!\\)\|/).length;
    expect(new Set(tableRows.map(columns)).size).toBe(1);
    expect(tableRows[3]).toContain('| ❌ | sidecar: overhead p50 no worse than baseline + 50 µs | 600 µs [590 µs, 610 µs] | 500 µs [490 µs, 510 µs] | +100 µs [+90 µs, +110 µs] | fail | ≥ +60 µs |');
  });

  it('explains every check that did not pass', () => {
    expect(markdown).toContain('<details><summary>Why each check that did not pass</summary>');
    expect(markdown).toContain('- **sidecar: sidecar-rss ≤ 512MiB**: because <inconclusive> & "quoted"');
  });
});
