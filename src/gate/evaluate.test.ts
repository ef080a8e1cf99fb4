import { describe, expect, it } from 'vitest';
import type { RegressionGate, ThresholdGate } from '../scenario/scenario.js';
import { judgeRegression, judgeThreshold } from './evaluate.js';

const overheadP99: ThresholdGate = { topology: 'sidecar', metric: 'overhead', statistic: 'p99', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 2000, limitText: '2ms' };
const minRps: ThresholdGate = { topology: 'sidecar', metric: 'rps', estimator: 'differential', role: 'sidecar', bound: 'min', limit: 10_000, limitText: '10000' };

describe('judgeThreshold (checked against the confidence bound on the unsafe side)', () => {
  it('passes when even the upper bound is within a max', () => {
    const check = judgeThreshold(overheadP99, 'sidecar', [1500, 1600, 1700, 1800, 1900, 1950], 0.95);
    expect(check.verdict).toBe('pass');
    expect(check.name).toBe('sidecar: overhead p99 (differential) ≤ 2ms');
    expect(check.value).toMatchObject({ median: 1750, low: 1500, high: 1950 });
    expect(check.reason).toBe('the whole confidence interval 1.750 ms [1.500 ms, 1.950 ms] is within 2.000 ms (judged by its upper bound)');
  });

  it('fails when even the lower bound is beyond a max', () => {
    expect(judgeThreshold(overheadP99, 'sidecar', [2100, 2200, 2300, 2400, 2500, 2600], 0.95).verdict).toBe('fail');
  });

  it('is inconclusive, never a coin flip, when the interval straddles the limit', () => {
    const check = judgeThreshold(overheadP99, 'sidecar', [1200, 1500, 1800, 2100, 2400, 2700], 0.95);
    expect(check.verdict).toBe('inconclusive');
    expect(check.reason).toContain('straddles 2.000 ms: this run is too noisy to judge it');
  });

  it('cannot decide on fewer trials than a 95 % interval needs, even when every value is within the limit', () => {
    const check = judgeThreshold(overheadP99, 'sidecar', [1500, 1600, 1700], 0.95);
    expect(check.verdict).toBe('inconclusive');
    expect(check.reason).toBe(
      'too few trials to decide: the interval 1.600 ms [1.500 ms, 1.700 ms] reaches only 75.0 % coverage with 3, and a 95 % interval needs at least 6 successful trials (limit 2.000 ms)',
    );
    // Nor can it fail on them: a 75 % interval beyond the limit is no proof either.
    expect(judgeThreshold(overheadP99, 'sidecar', [2500, 2600, 2700], 0.95).verdict).toBe('inconclusive');
    expect(judgeThreshold(overheadP99, 'sidecar', [2500], 0.95).verdict).toBe('inconclusive');
  });

  it('cannot decide a regression on too few trials either', () => {
    const check = judgeRegression(overheadP50Regression, 'sidecar', [1500, 1510], [500, 510], 0.95);
    expect(check.verdict).toBe('inconclusive');
    expect(check.reason).toMatch(/^too few trials to decide: the change \+1\.000 ms \[/);
  });

  it('judges a min by the lower bound', () => {
    expect(judgeThreshold(minRps, 'sidecar', [10_500, 11_000, 11_200, 11_400, 11_600, 12_000], 0.95).verdict).toBe('pass');
    expect(judgeThreshold(minRps, 'sidecar', [9_500, 10_100, 11_200, 11_400, 11_600, 12_000], 0.95).verdict).toBe('inconclusive');
    expect(judgeThreshold(minRps, 'sidecar', [8_000, 8_100, 8_200, 8_300, 8_400, 9_000], 0.95).verdict).toBe('fail');
  });
});

const overheadP50Regression: RegressionGate = { topology: '*', metric: 'overhead', statistic: 'p50', estimator: 'differential', role: 'sidecar', toleranceShare: 0.1, floor: 50 };
const rpsRegression: RegressionGate = { topology: '*', metric: 'rps', estimator: 'differential', role: 'sidecar', toleranceShare: 0.1, floor: 0 };
const baselineOverhead = [500, 510, 520, 530, 540, 550];

describe('judgeRegression (Hodges–Lehmann shift with its exact interval)', () => {
  it('passes an A/A comparison: the whole change interval is within the tolerance', () => {
    const check = judgeRegression(overheadP50Regression, 'sidecar', [505, 515, 525, 535, 545, 555], baselineOverhead, 0.95);
    expect(check.change?.median).toBe(5);
    expect(check.verdict).toBe('pass');
    expect(check.name).toBe('sidecar: overhead p50 (differential) no worse than baseline + 53 µs');
  });

  it('fails a 1 ms regression, naming the metric', () => {
    const check = judgeRegression(overheadP50Regression, 'sidecar', baselineOverhead.map((value) => value + 1000), baselineOverhead, 0.95);
    expect(check.verdict).toBe('fail');
    expect(check.change?.median).toBe(1000);
    expect(check.reason).toMatch(/^regressed: change \+1\.000 ms \[/);
  });

  it('treats lower throughput as worse', () => {
    const baseline = [10_000, 10_100, 10_200, 10_300, 10_400, 10_500];
    expect(judgeRegression(rpsRegression, 'sidecar', baseline.map((rps) => rps * 0.5), baseline, 0.95).verdict).toBe('fail');
    expect(judgeRegression(rpsRegression, 'sidecar', baseline.map((rps) => rps * 1.5), baseline, 0.95).verdict).toBe('pass');
  });

  it('is inconclusive when the change interval straddles the tolerance', () => {
    const check = judgeRegression(overheadP50Regression, 'sidecar', [480, 520, 560, 600, 640, 700], baselineOverhead, 0.95);
    expect(check.verdict).toBe('inconclusive');
  });
});

describe('evaluateGates against a baseline run: the drift guard', () => {
  it('turns failures into inconclusive when the reference topology got worse too, and keeps a sidecar-only regression a failure', async () => {
    const { makeRunPair } = await import('./drift.fixture-data.js');
    const drifted = makeRunPair({ appOnlyFactor: 1.4, sidecarExtraUs: 0 });
    const driftResult = (await import('./evaluate.js')).evaluateGates(drifted);
    expect(driftResult.counts.fail).toBe(0);
    const sidecarLatency = driftResult.checks.find((check) => check.name.startsWith('sidecar: latency p50'));
    expect(sidecarLatency?.verdict).toBe('inconclusive');
    expect(sidecarLatency?.reason).toContain('the reference topology app-only got worse too');

    const regressed = makeRunPair({ appOnlyFactor: 1, sidecarExtraUs: 1000 });
    const regressedResult = (await import('./evaluate.js')).evaluateGates(regressed);
    expect(regressedResult.verdict).toBe('fail');
    // Tolerances are 10 % of the baseline's median (sidecar latency ≈ 910 µs, overhead ≈ 600 µs), with floors.
    expect(regressedResult.checks.filter((check) => check.verdict === 'fail').map((check) => check.name)).toEqual([
      'sidecar: latency p50 no worse than baseline + 91 µs',
      'sidecar: latency p99 no worse than baseline + 200 µs',
      'sidecar: overhead p50 (differential) no worse than baseline + 60 µs',
      'sidecar: overhead p99 (differential) no worse than baseline + 200 µs',
    ]);
  });
});

describe('evaluateGates in a paired run (candidate and baseline interleaved in one run)', () => {
  it('judges each candidate arm against its -baseline twin round by round, so drift shared by both cancels', async () => {
    const { makePairedRun } = await import('./drift.fixture-data.js');
    const { evaluateGates: evaluate } = await import('./evaluate.js');
    // 100 µs of drift per round (500 µs over the run) moves both sides alike: no regression.
    const same = evaluate(makePairedRun({ sidecarExtraUs: 0, driftPerRoundUs: 100 }));
    expect(same.counts.fail).toBe(0);
    // app-only runs once, shared by both sides: no "*" regression of it, so none is "not evaluated".
    expect(same.counts['not-evaluated']).toBe(0);
    expect(same.verdict).toBe('pass');
    expect(same.checks.map((check) => check.arm)).not.toContain('sidecar-baseline');
    const sidecarP50 = same.checks.find((check) => check.name.startsWith('sidecar: latency p50'));
    expect(sidecarP50?.change).toMatchObject({ median: 0, low: 0, high: 0 });
    expect(sidecarP50?.verdict).toBe('pass');

    const regressed = evaluate(makePairedRun({ sidecarExtraUs: 1000, driftPerRoundUs: 100 }));
    expect(regressed.verdict).toBe('fail');
    expect(regressed.checks.find((check) => check.name.startsWith('sidecar: latency p50'))?.change?.median).toBe(1000);
    // Both sides share app-only's trial each round, so the overhead change is the latency change:
    // the default set judges it once (as latency), not a second time against another tolerance.
    expect(regressed.checks.filter((check) => check.metric === 'overhead')).toEqual([]);
  });
});

describe('the smallest regression a check could have caught', () => {
  it('is the tolerance plus the change interval’s optimistic half-width, said in an inconclusive reason', () => {
    // Hodges–Lehmann change +45 µs [0, …] (6 × 6 at 95 %); tolerance 52.5 µs: fails from 52.5 + 45.
    const candidate = [520, 540, 560, 580, 600, 620];
    const check = judgeRegression(overheadP50Regression, 'sidecar', candidate, baselineOverhead, 0.95);
    expect(check.verdict).toBe('inconclusive');
    expect(check.change).toMatchObject({ median: 45, low: 0 });
    expect(check.resolution?.failsBeyond).toBe(97.5);
    expect(check.reason).toContain('this run could only have caught regressions ≥ +98 µs');
    expect(check.detectable).toBe('≥ +98 µs');
  });

  it('for a threshold, the medians it could decide', () => {
    const check = judgeThreshold(overheadP99, 'sidecar', [1200, 1500, 1800, 2100, 2400, 2700], 0.95);
    // median 1950 [1200, 2700]: fails a median ≥ 2000 + 750, passes one ≤ 2000 − 750.
    expect(check.resolution).toEqual({ failsBeyond: 2750, passesWithin: 1250 });
    expect(check.reason).toContain('this run could only have decided a median outside (1.250 ms, 2.750 ms)');
    expect(check.detectable).toBe('fails ≥ 2.750 ms, passes ≤ 1.250 ms');
  });
});

describe('gates with adaptive rounds (gates.rounds: the sequential intervals)', () => {
  it('are wider than fixed-size intervals after the first looks, so a check fixed-size would pass stays open', async () => {
    const { intervalRule } = await import('./intervals.js');
    const rule = intervalRule({ inconclusive: 'pass', confidence: 0.95, thresholds: [], rounds: { min: 6, max: 30 } });
    const limit1050: ThresholdGate = { ...overheadP99, limit: 1050, limitText: '1050us' };
    // 12 rounds: fixed-size [x(3), x(10)] = [300, 1000]; the sequential design at look 12 uses [x(2), x(11)] = [200, 1100].
    const values = [7, 3, 11, 1, 9, 5, 12, 2, 10, 4, 8, 6].map((value) => value * 100);
    expect(judgeThreshold(limit1050, 'sidecar', values, 0.95)).toMatchObject({ verdict: 'pass', value: { low: 300, high: 1000 } });
    const sequential = judgeThreshold(limit1050, 'sidecar', values, rule);
    expect(sequential).toMatchObject({ verdict: 'inconclusive', value: { low: 200, high: 1100 } });
    expect(sequential.reason).toContain('this run could only have decided a median outside (600 µs, 1.500 ms)');
  });

  it('decide nothing before the minimum rounds', async () => {
    const { intervalRule } = await import('./intervals.js');
    const rule = intervalRule({ inconclusive: 'pass', confidence: 0.95, thresholds: [], rounds: { min: 6, max: 30 } });
    const check = judgeThreshold(overheadP99, 'sidecar', [100, 110, 120, 130, 140], rule);
    expect(check.verdict).toBe('inconclusive');
    expect(check.detectable).toBe('nothing (its interval is unbounded)');
  });

  it('at the first look judge a paired run exactly as a fixed 6-round gate', async () => {
    const { makePairedRun } = await import('./drift.fixture-data.js');
    const { evaluateGates: evaluate } = await import('./evaluate.js');
    const inputs = makePairedRun({ sidecarExtraUs: 1000, driftPerRoundUs: 100 });
    const fixed = evaluate(inputs);
    const adaptive = evaluate({ ...inputs, gates: { ...inputs.gates, rounds: { min: 6, max: 30 } } });
    expect(adaptive.checks.map((check) => [check.verdict, check.change?.low, check.change?.high])).toEqual(fixed.checks.map((check) => [check.verdict, check.change?.low, check.change?.high]));
    expect(adaptive.verdict).toBe('fail');
  });
});
