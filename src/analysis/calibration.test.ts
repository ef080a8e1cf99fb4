import { describe, expect, it } from 'vitest';
import { summarizeCalibration, toleranceUs } from './calibration.js';
import type { EstimatesByStatistic } from './estimators.js';
import type { MedianEstimate } from './statistics.js';
import type { ResultsSummary, TopologySummary } from './types.js';

const estimate = (median: number, low = median - 5, high = median + 5, coverage = 0.99): MedianEstimate => ({ n: 8, median, low, high, coverage });
const byStatistic = (p50: MedianEstimate, p99: MedianEstimate): EstimatesByStatistic => ({ p50Us: p50, p90Us: p50, p99Us: p99, p999Us: p99, maxUs: p99 });

function arm(topology: string, differential: EstimatesByStatistic, appUs: EstimatesByStatistic, header: EstimatesByStatistic): TopologySummary {
  return { topology, estimators: { differential, perRequestAppUs: appUs, perRequestHeader: header } } as unknown as TopologySummary;
}

const PLAN = { referenceArm: 'calibration-d0', aaArm: 'calibration-aa', delayedArms: [{ arm: 'calibration-d1ms', delayUs: 1000 }] };

function summaryWith(delayed: TopologySummary, aa: TopologySummary): ResultsSummary {
  return { topologies: [{ topology: 'calibration-d0' } as TopologySummary, aa, delayed], ciMethod: '' };
}

const quietAa = arm('calibration-aa', byStatistic(estimate(2, -8, 9), estimate(-10, -40, 30)), byStatistic(estimate(1, -6, 7), estimate(5, -20, 25)), byStatistic(estimate(0), estimate(0)));

describe('calibration tolerances', () => {
  it('are ±5 % or ±30 µs at P50, ±10 % at P99', () => {
    expect(toleranceUs('p50Us', 500)).toBe(30);
    expect(toleranceUs('p50Us', 1000)).toBe(50);
    expect(toleranceUs('p50Us', 5000)).toBe(250);
    expect(toleranceUs('p99Us', 500)).toBe(50);
    expect(toleranceUs('p99Us', 5000)).toBe(500);
  });
});

describe('summarizeCalibration', () => {
  it('passes when the judged estimators attribute D within tolerance, whatever the header estimator says', () => {
    const delayed = arm('calibration-d1ms', byStatistic(estimate(1040), estimate(1090)), byStatistic(estimate(960), estimate(905)), byStatistic(estimate(0), estimate(0)));
    const calibration = summarizeCalibration(PLAN, summaryWith(delayed, quietAa));
    expect(calibration.pass).toBe(true);
    expect(calibration.aaPass).toBe(true);
    expect(calibration.judgedBy).toStrictEqual(['differential', 'perRequestAppUs']);
    const header = calibration.checks.filter((check) => check.estimator === 'perRequestHeader');
    expect(header.map((check) => check.pass)).toStrictEqual([false, false]);
    expect(calibration.checks.find((check) => check.estimator === 'differential' && check.statistic === 'p50Us')).toMatchObject({ delayUs: 1000, toleranceUs: 50, pass: true });
  });

  it('fails when one judged check is outside its tolerance', () => {
    const delayed = arm('calibration-d1ms', byStatistic(estimate(1040), estimate(1110)), byStatistic(estimate(960), estimate(905)), byStatistic(estimate(0), estimate(0)));
    const calibration = summarizeCalibration(PLAN, summaryWith(delayed, quietAa));
    expect(calibration.pass).toBe(false);
    expect(calibration.checks.filter((check) => !check.pass && check.estimator !== 'perRequestHeader')).toHaveLength(1);
  });

  it('fails the A/A check when a judged estimator finds a difference whose interval excludes zero', () => {
    const delayed = arm('calibration-d1ms', byStatistic(estimate(1000), estimate(1000)), byStatistic(estimate(1000), estimate(1000)), byStatistic(estimate(0), estimate(0)));
    const noisyAa = arm('calibration-aa', byStatistic(estimate(40, 12, 70), estimate(0, -9, 9)), byStatistic(estimate(0, -9, 9), estimate(0, -9, 9)), byStatistic(estimate(0), estimate(0)));
    const calibration = summarizeCalibration(PLAN, summaryWith(delayed, noisyAa));
    expect(calibration.aaPass).toBe(false);
    expect(calibration.aa.find((check) => check.estimator === 'differential' && check.statistic === 'p50Us')?.significance).toBe('significant');
  });
});
