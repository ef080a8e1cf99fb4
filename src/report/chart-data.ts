/**
 * The rows each chart plots, derived from the analysis summary. Pure functions; every value is in
 * the unit its field name says (ms for latency, MiB for memory).
 */
import { LATENCY_STATISTICS, type LatencyStatistic, type ResultsSummary, type TopologySummary } from '../analysis/types.js';
import type { ContainerRole } from '../results/schema.js';
import { bytesToMiB, formatEstimateMs, usToMs } from './format.js';
import { ESTIMATOR_ORDER, ESTIMATOR_SHORT_LABELS } from './summary-types.js';

export const STATISTIC_LABELS: Record<LatencyStatistic, string> = {
  p50Us: 'P50',
  p90Us: 'P90',
  p99Us: 'P99',
  p999Us: 'P99.9',
  maxUs: 'max',
};

/** Percentile statistics without max (max is one request, too noisy for a per-request estimator). */
export const PERCENTILE_STATISTICS = ['p50Us', 'p90Us', 'p99Us', 'p999Us'] as const satisfies readonly LatencyStatistic[];

/** Components in a fixed order so a colour means the same container kind in every chart. */
export const COMPONENT_ORDER = ['client loadgen', 'client sidecar', 'server sidecar', 'server app'] as const;

export function componentLabel(side: 'client' | 'server', role: ContainerRole): string {
  return `${side} ${role}`;
}

/** Rounds for the page's data, not for arithmetic: the time series are long and each digit costs bytes. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function topologyOrder(summary: ResultsSummary): string[] {
  return summary.topologies.map((topology) => topology.topology);
}

export function baselineOf(summary: ResultsSummary): TopologySummary | undefined {
  return summary.baseline === undefined ? undefined : summary.topologies.find((t) => t.topology === summary.baseline);
}

export interface PercentileRow {
  topology: string;
  percentile: number;
  /** 1 / (1 − p): 2 at P50, 10 at P90, 100 at P99 … so a log axis spreads the tail. */
  oneOverTail: number;
  latencyMs: number;
}

/** The percentile curve without P100 (1/(1−p) is infinite there) and without zero latencies (log axis). */
export function percentileRows(summary: ResultsSummary): PercentileRow[] {
  return summary.topologies.flatMap((topology) =>
    topology.percentileCurve
      .filter((point) => point.percentile < 100 && point.valueUs > 0)
      .map((point) => ({
        topology: topology.topology,
        percentile: point.percentile,
        oneOverTail: 100 / (100 - point.percentile),
        latencyMs: usToMs(point.valueUs),
      })),
  );
}

export interface OverheadRow {
  /** 'estimate': the median over rounds of the paired differences, with its interval; 'round': one round's difference. */
  kind: 'estimate' | 'round';
  topology: string;
  statistic: string;
  /** 'estimate' rows: the median, the interval's bounds, its text ("+0.605 ms [+0.52, +0.70]") and the trials it rests on. */
  medianMs?: number;
  lowMs?: number;
  highMs?: number;
  ci?: string;
  trials?: number;
  /** The baseline's figure: the median over its trials. */
  baselineMs?: number;
  /** 'round' rows. */
  round?: number;
  overheadMs?: number;
}

/** Rounds that both the topology and the baseline completed, as round → trial summary. */
function byRound(topology: TopologySummary): Map<number, TopologySummary['trials'][number]> {
  return new Map(topology.trials.filter((trial) => trial.latency.count > 0).map((trial) => [trial.round, trial]));
}

/**
 * Per statistic, the differential estimator (the topology's figure minus the baseline's in the
 * same round, median over rounds, with its interval: 'estimate'), and each round's difference
 * ('round'). The per-round differences are those the estimator takes its median of: each trial's
 * percentile from its own histogram, paired with the baseline's trial of the same round.
 */
export function overheadRows(summary: ResultsSummary): OverheadRow[] {
  const baseline = baselineOf(summary);
  if (baseline === undefined) return [];
  const baselineRounds = byRound(baseline);
  const rows: OverheadRow[] = [];
  for (const topology of summary.topologies) {
    const differential = topology.estimators?.differential;
    if (topology === baseline || differential === undefined) continue;
    for (const statistic of LATENCY_STATISTICS) {
      const estimate = differential[statistic];
      if (estimate.n === 0) continue;
      rows.push({
        kind: 'estimate',
        topology: topology.topology,
        statistic: STATISTIC_LABELS[statistic],
        medianMs: usToMs(estimate.median),
        lowMs: usToMs(estimate.low),
        highMs: usToMs(estimate.high),
        ci: formatEstimateMs(estimate, { signed: true }),
        trials: estimate.n,
        baselineMs: usToMs(baseline.latencyOverTrials[statistic].median),
      });
      for (const [round, trial] of byRound(topology)) {
        const baselineTrial = baselineRounds.get(round);
        if (baselineTrial === undefined) continue;
        rows.push({
          kind: 'round',
          topology: topology.topology,
          statistic: STATISTIC_LABELS[statistic],
          round,
          overheadMs: usToMs(trial.latency[statistic] - baselineTrial.latency[statistic]),
        });
      }
    }
  }
  return rows;
}

export interface EstimatorRow {
  topology: string;
  estimator: string;
  statistic: string;
  medianMs: number;
  lowMs: number;
  highMs: number;
  ci: string;
  trials: number;
}

/** Every estimator's overhead (median over rounds, with its interval) per topology and percentile. */
export function estimatorRows(summary: ResultsSummary): EstimatorRow[] {
  const rows: EstimatorRow[] = [];
  for (const topology of summary.topologies) {
    for (const estimator of ESTIMATOR_ORDER) {
      const byStatistic = topology.estimators?.[estimator];
      if (byStatistic === undefined) continue;
      for (const statistic of PERCENTILE_STATISTICS) {
        const estimate = byStatistic[statistic];
        if (estimate.n === 0) continue;
        rows.push({
          topology: topology.topology,
          estimator: ESTIMATOR_SHORT_LABELS[estimator],
          statistic: STATISTIC_LABELS[statistic],
          medianMs: usToMs(estimate.median),
          lowMs: usToMs(estimate.low),
          highMs: usToMs(estimate.high),
          ci: formatEstimateMs(estimate, { signed: true }),
          trials: estimate.n,
        });
      }
    }
  }
  return rows;
}

export interface SeriesRow {
  topology: string;
  round: number;
  container: string;
  component: string;
  tSeconds: number;
  vcpu: number;
  ctxSwitchesPerSecond: number;
}

/** Resource time series of every container but the pause containers (which do nothing). */
export function seriesRows(summary: ResultsSummary): SeriesRow[] {
  return summary.topologies.flatMap((topology) =>
    topology.resourceSeries
      .filter((point) => point.role !== 'pause')
      .map((point) => ({
        topology: topology.topology,
        round: point.round,
        container: point.container,
        component: componentLabel(point.side, point.role),
        tSeconds: roundTo(point.tSeconds, 3),
        vcpu: roundTo(point.vcpu, 4),
        ctxSwitchesPerSecond: roundTo(point.ctxSwitchesPerSecond, 0),
      })),
  );
}

export interface ContainerRow {
  topology: string;
  container: string;
  component: string;
  vcpu: number;
  vcpuPer1kRps: number;
  ctxSwitchesPerRequest: number;
  ctxSwitchesPerSecondPerCore: number;
  rssMaxMiB: number;
  rssMeanMiB: number;
}

/** Per container, the mean over ok trials, pause containers left out. */
export function containerRows(summary: ResultsSummary): ContainerRow[] {
  return summary.topologies.flatMap((topology) =>
    topology.resources
      .filter((resource) => resource.role !== 'pause')
      .map((resource) => ({
        topology: topology.topology,
        container: resource.container,
        component: componentLabel(resource.side, resource.role),
        vcpu: resource.vcpu,
        vcpuPer1kRps: resource.vcpuPer1kRps,
        ctxSwitchesPerRequest: resource.ctxSwitchesPerRequest,
        ctxSwitchesPerSecondPerCore: resource.ctxSwitchesPerSecondPerCore,
        rssMaxMiB: bytesToMiB(resource.rssMaxBytes),
        rssMeanMiB: bytesToMiB(resource.rssMeanBytes),
      })),
  );
}

/** The fixed component order, then any other component the data has, in order of appearance. */
export function componentDomain(rows: readonly { component: string }[]): string[] {
  const seen = new Set(rows.map((row) => row.component));
  const known: string[] = COMPONENT_ORDER.filter((component) => seen.has(component));
  const others = [...seen].filter((component) => !known.includes(component));
  return [...known, ...others];
}
