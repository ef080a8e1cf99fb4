import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import { latencyProblems } from '../analysis/trial-validity.js';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial, Results } from '../results/schema.js';
import type { ThresholdGate } from '../scenario/scenario.js';
import { evaluateGates } from './evaluate.js';

/** A trial of 1000 attempts in a 1 s window: `failed` of them 503 (fast), the rest 200 at latencyUs. */
function trial(topology: string, round: number, latencyUs: number, failed = 0, open?: OkTrial['load']['open']): OkTrial {
  const ok = newHistogramUs();
  for (let i = 0; i < 1000 - failed; i++) recordUs(ok, latencyUs + (i % 10));
  const failedHistogram = newHistogramUs();
  for (let i = 0; i < failed; i++) recordUs(failedHistogram, 50);
  const empty = encodeHistogram(newHistogramUs());
  return {
    state: 'ok',
    topology,
    round,
    startedAt: '2026-11-30T00:00:00.000Z',
    resources: { intervalMs: 250, samples: [] },
    load: {
      ...(open ? { open } : {}),
      window: { startEpochMs: round * 10_000, endEpochMs: round * 10_000 + 1000 },
      responses: 1000,
      okResponses: 1000 - failed,
      statusCodes: failed > 0 ? { '200': 1000 - failed, '503': failed } : { '200': 1000 },
      connectionErrors: 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: 0,
      headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
      histograms: { latencyUs: encodeHistogram(ok), failedLatencyUs: encodeHistogram(failedHistogram), upstreamServiceTimeUs: empty, appServiceTimeUs: empty, proxyOverheadUs: empty, networkAndProxiesUs: empty },
    },
  };
}

function run(sidecarTrial: (round: number) => OkTrial): Results {
  const rounds = [0, 1, 2, 3, 4, 5];
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: 'test' },
    run: { id: 'r', startedAt: '', finishedAt: '', status: 'complete' },
    scenario: { name: 'validity', topologies: ['app-only', 'sidecar'] },
    host: { cpuModel: 'x', logicalCores: 2, aesNi: true, avx2: true, kernel: 'k', os: 'o', dockerVersion: 'd', nodeVersion: 'n', cgroupVersion: 1 },
    images: {},
    proxyVersions: {},
    topologies: ['app-only', 'sidecar'].map((name) => ({ name, description: name, pods: [] })),
    trials: rounds.flatMap((round) => [trial('app-only', round, 300), sidecarTrial(round)]),
    summary: undefined,
  };
}

const gate = (metric: 'latency' | 'overhead' | 'rps', limit: number): ThresholdGate => ({
  topology: 'sidecar',
  metric,
  ...(metric === 'rps' ? {} : { statistic: 'p50' as const }),
  estimator: 'differential',
  role: 'sidecar',
  bound: metric === 'rps' ? 'min' : 'max',
  limit,
  limitText: String(limit),
});

function judge(results: Results, gates: ThresholdGate[]) {
  return evaluateGates({ results, summary: summarizeResults(results), gates: { inconclusive: 'pass', confidence: 0.95, thresholds: gates } });
}

describe('latencyProblems (a trial whose latency means nothing)', () => {
  it('accepts a clean trial and 1 % failed exactly', () => {
    expect(latencyProblems(trial('sidecar', 0, 900))).toStrictEqual([]);
    expect(latencyProblems(trial('sidecar', 0, 900, 10))).toStrictEqual([]);
  });

  it('flags more than 1 % failed, with the counts', () => {
    expect(latencyProblems(trial('sidecar', 0, 900, 11))).toStrictEqual([
      "1.1 % of requests failed (11 of 1000; above 1.0 % the successes' latency does not describe the trial)",
    ]);
  });

  it('flags a trial with no successful response', () => {
    expect(latencyProblems(trial('sidecar', 0, 900, 1000))).toStrictEqual(['no successful response']);
  });

  it('flags an open-model trial that did not keep its rate', () => {
    const open = { targetRps: 1000, scheduled: 1000, sent: 900, unsent: 100, waitedForConnection: 0 };
    expect(latencyProblems(trial('sidecar', 0, 900, 0, open))).toStrictEqual(['the rate of 1000/s was not sustained (sent 900/s, 100 of 1000 never sent)']);
    expect(latencyProblems(trial('sidecar', 0, 900, 0, { ...open, sent: 1000, unsent: 0 }))).toStrictEqual([]);
  });
});

describe('a latency or overhead gate on a flagged trial cannot pass', () => {
  it('passes the same checks when no trial is flagged', () => {
    const result = judge(run((round) => trial('sidecar', round, 900)), [gate('latency', 2000), gate('overhead', 1000)]);
    expect(result.checks.map((check) => check.verdict)).toStrictEqual(['pass', 'pass']);
  });

  it('fails them when the sidecar answered 30 % of one round with fast 503s (the app died), naming the round', () => {
    const result = judge(run((round) => trial('sidecar', round, 900, round === 3 ? 300 : 0)), [gate('latency', 2000), gate('overhead', 1000), gate('rps', 100)]);
    expect(result.checks.map((check) => [check.metric, check.verdict])).toStrictEqual([
      ['latency', 'fail'],
      ['overhead', 'fail'],
      ['rps', 'pass'],
    ]);
    expect(result.checks[0]?.reason).toMatch(/^cannot pass: its latency is not meaningful \(sidecar round 4: 30\.0 % of requests failed \(300 of 1000;/);
    expect(result.verdict).toBe('fail');
  });

  it('fails an overhead check when the baseline arm is the flagged one', () => {
    const results = run((round) => trial('sidecar', round, 900));
    results.trials[0] = trial('app-only', 0, 300, 500);
    const result = judge(results, [gate('overhead', 1000)]);
    expect(result.checks[0]?.verdict).toBe('fail');
    expect(result.checks[0]?.reason).toContain('app-only round 1: 50.0 % of requests failed');
  });

  it('fails a gate with no latency check when an open-model arm did not keep its rate, naming the rounds', () => {
    const kept = { targetRps: 1000, scheduled: 1000, sent: 1000, unsent: 0, waitedForConnection: 0 };
    const short = { ...kept, sent: 700, unsent: 300 };
    const healthy = judge(run((round) => trial('sidecar', round, 900, 0, kept)), [gate('rps', 100)]);
    expect(healthy.checks.map((check) => [check.name, check.verdict])).toStrictEqual([['sidecar: rps ≥ 100', 'pass']]);
    expect(healthy.verdict).toBe('pass');

    const result = judge(run((round) => trial('sidecar', round, 900, 0, round === 2 ? short : kept)), [gate('rps', 100)]);
    expect(result.checks.map((check) => [check.name, check.verdict])).toStrictEqual([
      ['sidecar: rps ≥ 100', 'pass'],
      ['sidecar: the open-model rate kept in every round', 'fail'],
    ]);
    expect(result.checks[1]?.reason).toContain('round 3: the rate of 1000/s was not sustained (sent 700/s, 300 of 1000 never sent)');
    expect(result.verdict).toBe('fail');
  });
});
