import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import type { OkTrial } from '../results/schema.js';
import { makeFixtureResults } from '../report/fixtures.js';
import type { GatesSpec } from '../scenario/scenario.js';
import { evaluateGates } from './evaluate.js';
import { judgeFindings } from './finding-checks.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';

const HEALTHY = makeFixtureResults();
const gates = (failOn: GatesSpec['findings']): GatesSpec => ({ inconclusive: 'pass', confidence: 0.95, thresholds: [], ...(failOn ? { findings: failOn } : {}) });

/** The healthy fixture with 504s in every sidecar trial. */
function with504s() {
  const results = structuredClone(HEALTHY);
  for (const trial of results.trials) if (trial.state === 'ok' && trial.topology === 'sidecar') (trial as OkTrial).load.statusCodes['504'] = 30;
  return results;
}

describe('gates.findings.failOn', () => {
  it('fails the gate on a listed finding the run shows, naming the arm and the evidence', () => {
    const results = with504s();
    const result = evaluateGates({ results, summary: summarizeResults(results), gates: gates({ failOn: ['upstream-timeout', 'oom-killed'] }) });
    expect(result.verdict).toBe('fail');
    expect(result.findingChecks?.map((check) => [check.finding, check.verdict])).toEqual([
      ['upstream-timeout', 'fail'],
      ['oom-killed', 'pass'],
    ]);
    expect(result.findingChecks?.[0]?.reason).toMatch(/^seen in sidecar: sidecar round 1 over [\d.]+ s: load\.statusCodes\[504\] — responses504 30/);
    expect(result.counts).toEqual({ pass: 1, fail: 1, inconclusive: 0, 'not-evaluated': 0 });
  });

  it('passes a healthy run, and a finding that is not listed does not fail the gate', () => {
    expect(evaluateGates({ results: HEALTHY, summary: summarizeResults(HEALTHY), gates: gates({ failOn: ['port-exhaustion'] }) }).verdict).toBe('pass');
    const results = with504s();
    const result = evaluateGates({ results, summary: summarizeResults(results), gates: gates({ failOn: ['port-exhaustion'] }) });
    expect(result.verdict).toBe('pass');
    expect(evaluateGates({ results, summary: summarizeResults(results), gates: gates(undefined) }).findingChecks).toEqual([]);
  });

  it('is a JUnit failure of type "finding", and a row of summary.md beside the findings themselves', () => {
    const results = with504s();
    const summary = summarizeResults(results);
    const result = evaluateGates({ results, summary, gates: gates({ failOn: ['upstream-timeout'] }) });
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });
    const suite = parser.parse(renderJunit(result, 'suite', 'now')).testsuites.testsuite;
    expect(suite).toMatchObject({ tests: '1', failures: '1' });
    expect(suite.testcase[0]).toMatchObject({ classname: 'sidecar-bench.finding', name: 'finding: upstream-timeout (504 upstream request timeout)', failure: { type: 'finding' } });
    const markdown = renderMarkdownSummary(result, 'faults', { scenario: 'faults', runId: 'r', host: 'h', confidence: 0.95, findings: summary.findings ?? [] });
    expect(markdown).toContain('**Findings (1):**');
    expect(markdown).toContain('- ❌ **504 upstream request timeout** (`upstream-timeout`, fails the gate) in sidecar');
    expect(markdown).toContain('  - remedy: The app answered after the proxy’s route timeout.');
    expect(markdown).toContain('| ❌ | finding: upstream-timeout (504 upstream request timeout) | fail | seen in sidecar');
  });

  it('judges in the listed order', () => {
    expect(judgeFindings(['oom-killed', 'cpu-throttling'], []).map((check) => check.name)).toEqual(['finding: oom-killed (OOMKilled)', 'finding: cpu-throttling (high latency from CPU throttling)']);
  });
});
