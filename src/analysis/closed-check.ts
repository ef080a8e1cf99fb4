/**
 * The closed-loop check (load.closedCheck): after each trial's main load, the same pods under a
 * closed loop with few connections (usually one). With one connection nothing queues in front of
 * any hop, so its P50 overhead is the proxies' cost per request, read without a rate. The headline
 * (open model at the rate) should agree with it; when it does not, the rate itself is costing
 * something (queueing, idle-CPU wake-ups between requests), and the report says so.
 */
import type { OkTrial } from '../results/schema.js';
import { pairedOverhead, statisticsOverTrials } from './estimators.js';
import type { MedianEstimate } from './statistics.js';

/** Agreement: within max(50 µs, 30 % of the check's overhead). */
export const CLOSED_CHECK_FLOOR_US = 50;
export const CLOSED_CHECK_SHARE = 0.3;

export interface ClosedCheckSummary {
  connections: number;
  /** The check's own P50 latency, median over trials. */
  latencyP50: MedianEstimate;
  /** Its P50 overhead over the baseline's check, paired by round (absent for the baseline). */
  overheadP50?: MedianEstimate;
  /** The main load's P50 overhead (the headline), for comparison. */
  headlineOverheadP50?: MedianEstimate;
  toleranceUs?: number;
  /** |headline − check| ≤ tolerance (medians). */
  agrees?: boolean;
}

/** The trials as if the check's load were their main load, so the ordinary estimators apply. */
function checkTrials(trials: readonly OkTrial[]): OkTrial[] {
  return trials.flatMap((trial) => (trial.closedCheck ? [{ ...trial, load: trial.closedCheck.load }] : []));
}

export function summarizeClosedCheck(arm: readonly OkTrial[], baseline: readonly OkTrial[] | undefined, headline: MedianEstimate | undefined): ClosedCheckSummary | undefined {
  const own = checkTrials(arm);
  const connections = own[0]?.closedCheck?.connections;
  if (connections === undefined) return undefined;
  const latencyP50 = statisticsOverTrials(own, 'latencyUs').p50Us;
  const reference = baseline ? checkTrials(baseline) : [];
  if (reference.length === 0) return { connections, latencyP50 };
  const overheadP50 = pairedOverhead(own, reference, 'latencyUs').p50Us;
  if (!headline || headline.n === 0 || overheadP50.n === 0) return { connections, latencyP50, overheadP50 };
  const toleranceUs = Math.max(CLOSED_CHECK_FLOOR_US, CLOSED_CHECK_SHARE * Math.abs(overheadP50.median));
  return { connections, latencyP50, overheadP50, headlineOverheadP50: headline, toleranceUs, agrees: Math.abs(headline.median - overheadP50.median) <= toleranceUs };
}
