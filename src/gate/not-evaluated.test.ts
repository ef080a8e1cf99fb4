import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import { makeFixtureResults } from '../report/fixtures.js';
import type { Results } from '../results/schema.js';
import type { GatesSpec, ThresholdGate } from '../scenario/scenario.js';
import { evaluateGates } from './evaluate.js';
import { renderJunit } from './junit.js';

const selector = { estimator: 'differential', role: 'sidecar' } as const;
const LATENCY_P99: ThresholdGate = { ...selector, topology: '*', metric: 'latency', statistic: 'p99', bound: 'max', limit: 100_000, limitText: '100ms' };
const SIDECAR_RSS: ThresholdGate = { ...selector, topology: '*', metric: 'sidecar-rss', bound: 'max', limit: 512 * 2 ** 20, limitText: '512MiB' };
const gates = (...thresholds: ThresholdGate[]): GatesSpec => ({ inconclusive: 'pass', confidence: 0.95, thresholds });

function judge(results: Results, spec: GatesSpec, policy?: 'pass' | 'fail') {
  return evaluateGates({ results, summary: summarizeResults(results), gates: spec, ...(policy ? { inconclusivePolicy: policy } : {}) });
}

/** The fixture run (app-only, sidecar-inbound, sidecar; 6 rounds) without any trial of `arm`. */
function without(arm: string, status: Results['run']['status'] = 'complete'): Results {
  const results = makeFixtureResults({ status });
  return { ...results, trials: results.trials.filter((trial) => trial.topology !== arm) };
}

describe('no check vanishes', () => {
  it('a complete run passes every (threshold, topology) pair it measured, and "*" skips topologies a metric cannot apply to', () => {
    const result = judge(makeFixtureResults(), gates(LATENCY_P99, SIDECAR_RSS));
    expect(result.checks.map((check) => `${check.name} → ${check.verdict}`)).toEqual([
      'app-only: latency p99 ≤ 100ms → pass',
      'sidecar-inbound: latency p99 ≤ 100ms → pass',
      'sidecar: latency p99 ≤ 100ms → pass',
      // app-only has no sidecar: sidecar-rss on "*" means the topologies that have one.
      'sidecar-inbound: sidecar-rss ≤ 512MiB → pass',
      'sidecar: sidecar-rss ≤ 512MiB → pass',
    ]);
    expect(result.verdict).toBe('pass');
  });

  it('an interrupted run whose sidecar topology has no trial does not PASS: its checks are "not evaluated", with the reason', () => {
    const result = judge(without('sidecar', 'interrupted'), gates(LATENCY_P99, SIDECAR_RSS));
    const sidecar = result.checks.filter((check) => check.arm === 'sidecar');
    expect(sidecar.map((check) => check.verdict)).toEqual(['not-evaluated', 'not-evaluated']);
    expect(sidecar[0]?.reason).toBe('not evaluated: sidecar has no trial at all; the run was interrupted');
    expect(sidecar[0]?.value).toBeUndefined();
    expect(result.counts).toEqual({ pass: 3, fail: 0, inconclusive: 0, 'not-evaluated': 2 });
    expect(result.runErrors).toEqual([{ subject: 'run', message: 'the run was interrupted: interrupted by SIGINT; it did not complete, so its figures are partial and cannot pass a gate' }]);
    expect(result.verdict).toBe('error');
  });

  it('a complete run missing a topology fails, under either inconclusive policy: "not evaluated" never counts as a pass', () => {
    for (const policy of ['pass', 'fail'] as const) {
      const result = judge(without('sidecar'), gates(LATENCY_P99), policy);
      expect(result.runErrors).toEqual([]);
      expect(result.checks.find((check) => check.arm === 'sidecar')).toMatchObject({ verdict: 'not-evaluated', reason: 'not evaluated: sidecar has no trial at all' });
      expect(result.verdict).toBe('fail');
    }
  });

  it('names the cause when every trial of a topology failed', () => {
    const results = makeFixtureResults();
    const failed: Results = {
      ...results,
      trials: results.trials.map((trial) => (trial.topology === 'sidecar' ? { state: 'failed', topology: trial.topology, round: trial.round, startedAt: trial.startedAt, error: { message: 'container exited with code 137' } } : trial)),
    };
    const result = judge(failed, gates(LATENCY_P99));
    expect(result.checks.find((check) => check.arm === 'sidecar')?.reason).toBe('not evaluated: sidecar has no successful trial (6 of 6 failed, first: container exited with code 137)');
    expect(result.runErrors).toHaveLength(6);
    expect(result.runErrors[0]).toEqual({ subject: 'sidecar trial 1 (round 0)', arm: 'sidecar', message: 'sidecar trial 1 (round 0) failed: container exited with code 137' });
    expect(result.verdict).toBe('error');
  });

  it('a threshold whose metric has no value fails with the reason: overhead without the reference topology, the header estimator without the header', () => {
    const noReference = judge(without('app-only'), gates({ ...LATENCY_P99, metric: 'overhead', topology: 'sidecar' }));
    expect(noReference.checks).toMatchObject([{ verdict: 'not-evaluated', reason: 'not evaluated: overhead is measured against app-only, and app-only has no trial at all' }]);
    expect(noReference.verdict).toBe('fail');

    const results = makeFixtureResults();
    const headerless: Results = {
      ...results,
      trials: results.trials.map((trial) => (trial.state === 'ok' ? { ...trial, load: { ...trial.load, headerCounts: { ...trial.load.headerCounts, upstreamServiceTime: 0 } } } : trial)),
    };
    const header = judge(headerless, gates({ ...LATENCY_P99, metric: 'overhead', estimator: 'header' }));
    expect(header.checks.map((check) => check.reason)).toEqual([
      'not evaluated: no response of sidecar-inbound carried x-envoy-upstream-service-time (the header estimator needs it)',
      'not evaluated: no response of sidecar carried x-envoy-upstream-service-time (the header estimator needs it)',
    ]);
  });

  it('a named topology a metric can never apply to is reported, not dropped', () => {
    const result = judge(makeFixtureResults(), gates({ ...SIDECAR_RSS, topology: 'app-only' }));
    expect(result.checks).toMatchObject([{ arm: 'app-only', verdict: 'not-evaluated', reason: 'not evaluated: app-only has no sidecar and sidecar-rss reads a sidecar' }]);
  });

  it('junit.xml: "not evaluated" is a <failure>, a failed trial an <error> naming topology, trial and cause', () => {
    const results = makeFixtureResults({ withFailedTrial: true });
    const result = judge({ ...results, trials: results.trials.filter((trial) => trial.topology !== 'sidecar-inbound') }, gates(LATENCY_P99));
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });
    const suite = parser.parse(renderJunit(result, 'suite', 'now')).testsuites.testsuite;
    // sidecar kept 5 of its 6 trials: too few for a 95 % interval, so inconclusive (skipped).
    expect(suite).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '1' });
    const [error, , inbound, sidecar] = suite.testcase;
    expect(sidecar.skipped.message).toMatch(/^inconclusive: too few trials to decide: .* reaches only 93\.8 % coverage with 5/);
    expect(error.name).toBe('sidecar trial 6 (round 5)');
    expect(error.error).toMatchObject({ type: 'trial-failed', message: 'sidecar trial 6 (round 5) failed [SB_CONTAINER_FAILED]: container sc-server-sidecar exited with code 137 (OOMKilled)' });
    expect(inbound.failure).toMatchObject({ type: 'not-evaluated', message: 'not evaluated: sidecar-inbound has no trial at all' });
  });
});
