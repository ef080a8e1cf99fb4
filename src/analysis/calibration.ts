import type { CalibrationPlan, HostStalls } from '../results/schema.js';
import type { EstimatesByStatistic, OverheadEstimators } from './estimators.js';
import { differenceSignificance, type MedianEstimate, type Significance } from './statistics.js';
import type { ResultsSummary } from './types.js';

/** At P50 the attributed overhead must be within 5 % of D, or 30 µs, whichever is larger. */
export const P50_TOLERANCE_SHARE = 0.05;
export const P50_TOLERANCE_FLOOR_US = 30;
/** At P99, within 10 % of D. */
export const P99_TOLERANCE_SHARE = 0.1;

export type EstimatorName = keyof OverheadEstimators;
export const ESTIMATOR_NAMES: readonly EstimatorName[] = ['differential', 'perRequestAppUs', 'perRequestHeader'];

export interface CalibrationCheck {
  estimator: EstimatorName;
  statistic: 'p50Us' | 'p99Us';
  delayUs: number;
  attributed: MedianEstimate;
  toleranceUs: number;
  /** |attributed median − D| ≤ tolerance. */
  pass: boolean;
}

export interface AaCheck {
  estimator: EstimatorName;
  statistic: 'p50Us' | 'p99Us';
  difference: MedianEstimate;
  significance: Significance;
}

export interface CalibrationSummary {
  referenceArm: string;
  aaArm: string;
  checks: CalibrationCheck[];
  aa: AaCheck[];
  /** Every check of the estimators the calibration is judged by passed. */
  pass: boolean;
  /** The A/A arm showed no significant difference by any estimator at P50 or P99. */
  aaPass: boolean;
  /** Estimators the verdict rests on (the header one cannot see a delay upstream of the proxy). */
  judgedBy: EstimatorName[];
  /** What the stall probe saw before the trials, when it ran: P99 checks are read against it. */
  machineStalls?: HostStalls;
}

export function toleranceUs(statistic: 'p50Us' | 'p99Us', delayUs: number): number {
  return statistic === 'p50Us' ? Math.max(P50_TOLERANCE_SHARE * delayUs, P50_TOLERANCE_FLOOR_US) : P99_TOLERANCE_SHARE * delayUs;
}

const STATISTICS = ['p50Us', 'p99Us'] as const;

/** Compares the overhead each estimator attributes to every delayed arm with the delay injected. */
export function summarizeCalibration(plan: CalibrationPlan, summary: ResultsSummary, machineStalls?: HostStalls): CalibrationSummary {
  const estimatorsOf = (arm: string) => summary.topologies.find((topology) => topology.topology === arm)?.estimators;
  const checks: CalibrationCheck[] = [];
  for (const { arm, delayUs } of plan.delayedArms) {
    const estimators = estimatorsOf(arm);
    for (const estimator of ESTIMATOR_NAMES) {
      const byStatistic: EstimatesByStatistic | undefined = estimators?.[estimator];
      if (!byStatistic) continue;
      for (const statistic of STATISTICS) {
        const attributed = byStatistic[statistic];
        const tolerance = toleranceUs(statistic, delayUs);
        checks.push({ estimator, statistic, delayUs, attributed, toleranceUs: tolerance, pass: Math.abs(attributed.median - delayUs) <= tolerance });
      }
    }
  }
  const aaEstimators = estimatorsOf(plan.aaArm);
  const aa: AaCheck[] = [];
  for (const estimator of ESTIMATOR_NAMES) {
    const byStatistic = aaEstimators?.[estimator];
    if (!byStatistic) continue;
    for (const statistic of STATISTICS) aa.push({ estimator, statistic, difference: byStatistic[statistic], significance: differenceSignificance(byStatistic[statistic]) });
  }
  const judgedBy: EstimatorName[] = ['differential', 'perRequestAppUs'];
  const judged = checks.filter((check) => judgedBy.includes(check.estimator));
  return {
    referenceArm: plan.referenceArm,
    aaArm: plan.aaArm,
    checks,
    aa,
    pass: judged.length > 0 && judged.every((check) => check.pass),
    aaPass: aa.length > 0 && aa.filter((check) => judgedBy.includes(check.estimator)).every((check) => check.significance === 'not significant'),
    judgedBy,
    ...(machineStalls ? { machineStalls } : {}),
  };
}
