import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import type { RegressionGate, ThresholdGate } from '../scenario/scenario.js';
import { comparesArms } from './arm-comparisons.js';
import { makePairedRun } from './drift.fixture-data.js';
import { evaluateGates, type GateInputs } from './evaluate.js';

const selector = { estimator: 'differential', role: 'sidecar' } as const;
const p50VsOld: RegressionGate = { ...selector, topology: 'sidecar', vs: 'sidecar-baseline', metric: 'latency', statistic: 'p50', toleranceShare: 0.1, floor: 200 };
const p50DiffMax: ThresholdGate = { ...selector, topology: 'sidecar', vs: 'sidecar-baseline', metric: 'latency', statistic: 'p50', bound: 'max', limit: 200, limitText: '200us' };

/** Two sidecar arms of one ordinary run (no pairing): "sidecar" adds `extraUs`; the machine drifts 80 µs a round under both. */
function armsRun(extraUs: number, gates: Partial<GateInputs['gates']>): GateInputs {
  const { results: paired } = makePairedRun({ sidecarExtraUs: extraUs, driftPerRoundUs: 80 });
  const { pairing: _pairing, ...results } = paired;
  return { results, summary: summarizeResults(results), gates: { inconclusive: 'pass', confidence: 0.95, thresholds: [], ...gates } };
}

describe('gate vs: <arm> — one arm against another of the same run, paired by round', () => {
  it('throughput-drop keeps vs as its reference; every other metric compares arms', () => {
    expect(comparesArms(p50VsOld)).toBe(true);
    expect(comparesArms({ ...p50VsOld, metric: 'throughput-drop' })).toBe(false);
    expect(comparesArms({ ...p50VsOld, vs: undefined as unknown as string })).toBe(false);
  });

  it('a 1 ms slower arm fails its regression, named after the arm and what it is compared with', () => {
    const result = evaluateGates(armsRun(1000, { regressions: [p50VsOld] }));
    expect(result.checks).toHaveLength(1);
    const [check] = result.checks;
    expect(check?.verdict).toBe('fail');
    expect(check?.arm).toBe('sidecar');
    expect(check?.name).toBe('sidecar: latency p50 vs sidecar-baseline no worse than sidecar-baseline + 200 µs');
    expect(check?.change?.median).toBe(1000);
    expect(check?.reason).toMatch(/^against sidecar-baseline, paired by round: regressed/);
    expect(result.verdict).toBe('fail');
  });

  it('the same arm twice (A/A) passes although the machine drifted 400 µs over the run', () => {
    const result = evaluateGates(armsRun(0, { regressions: [p50VsOld] }));
    expect(result.checks.map((check) => [check.verdict, check.change?.median])).toStrictEqual([['pass', 0]]);
    expect(result.verdict).toBe('pass');
  });

  it('a threshold with vs limits the per-round difference, not the arm’s own value', () => {
    const slow = evaluateGates(armsRun(1000, { thresholds: [p50DiffMax] })).checks;
    expect(slow.map((check) => [check.name, check.verdict, check.value?.median])).toStrictEqual([['sidecar: latency p50 vs sidecar-baseline ≤ 200us', 'fail', 1000]]);
    expect(slow[0]?.reason).toMatch(/^per-round difference sidecar − sidecar-baseline over 6 rounds: /);
    // The arm's own p50 is ~900-1300 µs, far above 200 µs: only the difference passes.
    expect(evaluateGates(armsRun(0, { thresholds: [p50DiffMax] })).checks.map((check) => [check.verdict, check.value?.median])).toStrictEqual([['pass', 0]]);
  });

  it('"*" judges every arm the gate applies to except the one compared with', () => {
    const result = evaluateGates(armsRun(1000, { regressions: [{ ...p50VsOld, topology: '*' }] }));
    expect(result.checks.map((check) => [check.arm, check.verdict])).toStrictEqual([
      ['app-only', 'pass'],
      ['sidecar', 'fail'],
    ]);
  });

  it('an arm compared with one that has no trial is not evaluated (never a pass)', () => {
    const inputs = armsRun(0, { regressions: [p50VsOld] });
    const results = { ...inputs.results, trials: inputs.results.trials.filter((trial) => trial.topology !== 'sidecar-baseline') };
    const result = evaluateGates({ ...inputs, results, summary: summarizeResults(results) });
    expect(result.checks.map((check) => check.verdict)).toStrictEqual(['not-evaluated']);
    expect(result.checks[0]?.reason).toMatch(/^not evaluated: it is compared with sidecar-baseline, and /);
    expect(result.verdict).toBe('fail');
  });

  it('vs entries do not replace the default cross-run regressions of a --baseline gate', () => {
    const inputs = armsRun(0, { regressions: [p50VsOld] });
    const result = evaluateGates({ ...inputs, baseline: { results: inputs.results, summary: inputs.summary } });
    expect(result.checks.filter((check) => check.name.includes('vs sidecar-baseline'))).toHaveLength(1);
    expect(result.checks.length).toBeGreaterThan(1);
  });
});
