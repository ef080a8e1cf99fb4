import { decodeHistogram } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';
import { estimateMedian, pairedDifferences, type MedianEstimate } from './statistics.js';
import { LATENCY_STATISTICS, type LatencyStatistic } from './types.js';

const PERCENTILE_OF: Record<LatencyStatistic, number> = { p50Us: 50, p90Us: 90, p99Us: 99, p999Us: 99.9, maxUs: 100 };

export type HistogramKey = keyof OkTrial['load']['histograms'];
export type EstimatesByStatistic = Record<LatencyStatistic, MedianEstimate>;

/** Every statistic of one histogram, round by round, decoding each trial's histogram once. */
function allStatisticsByRound(trials: readonly OkTrial[], key: HistogramKey): Record<LatencyStatistic, Map<number, number>> {
  const byStatistic = Object.fromEntries(LATENCY_STATISTICS.map((statistic) => [statistic, new Map<number, number>()])) as Record<LatencyStatistic, Map<number, number>>;
  for (const trial of trials) {
    const encoded = trial.load.histograms[key];
    if (encoded === undefined) continue;
    const histogram = decodeHistogram(encoded);
    if (histogram.totalCount === 0) continue;
    for (const statistic of LATENCY_STATISTICS) byStatistic[statistic].set(trial.round, histogram.getValueAtPercentile(PERCENTILE_OF[statistic]));
  }
  return byStatistic;
}

/** round → the trial's value of one statistic of one histogram (trials lacking it are skipped). */
export function perRoundStatistic(trials: readonly OkTrial[], key: HistogramKey, statistic: LatencyStatistic): Map<number, number> {
  return allStatisticsByRound(trials, key)[statistic];
}

/** Median over trials of each statistic of one histogram, with its confidence interval. */
export function statisticsOverTrials(trials: readonly OkTrial[], key: HistogramKey): EstimatesByStatistic {
  const byRound = allStatisticsByRound(trials, key);
  return Object.fromEntries(LATENCY_STATISTICS.map((statistic) => [statistic, estimateMedian([...byRound[statistic].values()])])) as EstimatesByStatistic;
}

/** Each statistic of `key`: arm minus baseline, paired by round (both ran in the same round). */
export function pairedOverhead(arm: readonly OkTrial[], baseline: readonly OkTrial[], key: HistogramKey): EstimatesByStatistic {
  const armByRound = allStatisticsByRound(arm, key);
  const baselineByRound = allStatisticsByRound(baseline, key);
  return Object.fromEntries(
    LATENCY_STATISTICS.map((statistic) => [statistic, estimateMedian(pairedDifferences(armByRound[statistic], baselineByRound[statistic]))]),
  ) as EstimatesByStatistic;
}

/**
 * The overhead an arm adds over the baseline, by three estimators that see different things:
 * - differential: client latency percentile − the baseline's, per round (everything the arm adds,
 *   µs resolution, includes queueing and the network the proxies add);
 * - perRequestHeader: client latency − x-envoy-upstream-service-time per request (the nearest
 *   proxy's own time; whole-ms resolution; a baseline without a proxy counts as 0);
 * - perRequestAppUs: (client latency − x-app-service-time-us) − the baseline's (network + every
 *   proxy, µs resolution, excluding the app's own time).
 */
export interface OverheadEstimators {
  differential: EstimatesByStatistic;
  perRequestHeader?: EstimatesByStatistic;
  perRequestAppUs?: EstimatesByStatistic;
}

export function overheadEstimators(arm: readonly OkTrial[], baseline: readonly OkTrial[]): OverheadEstimators {
  const has = (trials: readonly OkTrial[], header: 'upstreamServiceTime' | 'appServiceTime') => trials.some((trial) => trial.load.headerCounts[header] > 0);
  const header = has(arm, 'upstreamServiceTime')
    ? has(baseline, 'upstreamServiceTime')
      ? pairedOverhead(arm, baseline, 'proxyOverheadUs')
      : statisticsOverTrials(arm, 'proxyOverheadUs')
    : undefined;
  const appUs = has(arm, 'appServiceTime') && has(baseline, 'appServiceTime') ? pairedOverhead(arm, baseline, 'networkAndProxiesUs') : undefined;
  return {
    differential: pairedOverhead(arm, baseline, 'latencyUs'),
    ...(header ? { perRequestHeader: header } : {}),
    ...(appUs ? { perRequestAppUs: appUs } : {}),
  };
}
