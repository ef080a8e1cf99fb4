/**
 * Names for the parts of the analysis summary the report reads, derived from the summary's own
 * types (analysis/types.ts) so the report depends on nothing else of the analysis stage.
 */
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';

/** A median over trials with its confidence interval (analysis/statistics.ts). */
export type MedianEstimate = TopologySummary['latencyOverTrials']['p50Us'];
export type EstimatesByStatistic = TopologySummary['latencyOverTrials'];
export type OverheadEstimators = NonNullable<TopologySummary['estimators']>;
export type EstimatorName = keyof OverheadEstimators;
export type OpenModelSummary = NonNullable<TopologySummary['open']>;
export type CalibrationSummary = NonNullable<ResultsSummary['calibration']>;
export type CalibrationCheck = CalibrationSummary['checks'][number];
export type AaCheck = CalibrationSummary['aa'][number];

/** The estimators in the order the report shows them. */
export const ESTIMATOR_ORDER: readonly EstimatorName[] = ['differential', 'perRequestHeader', 'perRequestAppUs'];

/** Long names, for tables and chart legends. */
export const ESTIMATOR_LABELS: Record<EstimatorName, string> = {
  differential: 'differential',
  perRequestHeader: 'per-request header (x-envoy-upstream-service-time, 1 ms resolution)',
  perRequestAppUs: 'per-request app-µs (x-app-service-time-us)',
};

/** Short names, for the terminal, chart legends and verdict lines. */
export const ESTIMATOR_SHORT_LABELS: Record<EstimatorName, string> = {
  differential: 'differential',
  perRequestHeader: 'header',
  perRequestAppUs: 'app-µs',
};
