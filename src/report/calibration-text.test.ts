import { describe, expect, it } from 'vitest';
import type { HostStalls } from '../results/schema.js';
import { machineStallsNote } from './calibration-text.js';
import type { CalibrationCheck, CalibrationSummary } from './summary-types.js';

const estimate = (median: number) => ({ n: 8, median, low: median - 100, high: median + 100, coverage: 0.992 });

function check(estimator: CalibrationCheck['estimator'], statistic: CalibrationCheck['statistic'], pass: boolean): CalibrationCheck {
  return { estimator, statistic, delayUs: 500, attributed: estimate(pass ? 500 : 900), toleranceUs: statistic === 'p50Us' ? 30 : 50, pass };
}

function calibration(checks: CalibrationCheck[], machineStalls?: HostStalls): CalibrationSummary {
  return {
    referenceArm: 'calibration-d0',
    aaArm: 'calibration-aa',
    checks,
    aa: [],
    pass: checks.every((entry) => entry.pass),
    aaPass: true,
    judgedBy: ['differential', 'perRequestAppUs'],
    ...(machineStalls ? { machineStalls } : {}),
  };
}

const stalling: HostStalls = { probeMs: 2000, thresholdUs: 500, perCpu: [{ cpu: 0, stalledShare: 0.0062, longStallsPerSecond: 1.5, maxStallUs: 3400 }] };
const quiet: HostStalls = { probeMs: 2000, thresholdUs: 500, perCpu: [{ cpu: 0, stalledShare: 0.0002, longStallsPerSecond: 0, maxStallUs: 600 }] };

describe('machineStallsNote', () => {
  it('explains a failed P99 check on a machine the probe caught stalling', () => {
    const note = machineStallsNote(calibration([check('differential', 'p50Us', true), check('differential', 'p99Us', false)], stalling));
    expect(note).toMatch(/^This machine stalled while probed before the trials \(cpu0 0\.62 % stalled \(1\.5\/s ≥ 1 ms, longest 3\.4 ms\)\)\. /);
    expect(note).toContain('P99 checks at small D can fail here whatever the harness does');
  });

  it('says nothing when P99 passed, when only an unjudged estimator failed, on a quiet machine, or without a probe', () => {
    expect(machineStallsNote(calibration([check('differential', 'p99Us', true)], stalling))).toBeUndefined();
    expect(machineStallsNote(calibration([check('perRequestHeader', 'p99Us', false)], stalling))).toBeUndefined();
    expect(machineStallsNote(calibration([check('differential', 'p99Us', false)], quiet))).toBeUndefined();
    expect(machineStallsNote(calibration([check('differential', 'p99Us', false)]))).toBeUndefined();
  });

  it('does not excuse a failed P50 check', () => {
    expect(machineStallsNote(calibration([check('differential', 'p50Us', false), check('differential', 'p99Us', true)], stalling))).toBeUndefined();
  });
});
