/**
 * The rows each chart plots, derived from the analysis summary. Pure functions; every value is in
 * the unit its field name says (ms for latency, MiB for memory).
 */
import type { LatencySummaryUs } from '../hdr/histogram.js';
import { LATENCY_STATISTICS, type LatencyStatistic, type ResultsSummary, type TopologySummary } from '../analysis/types.js';
import type { ContainerRole } from '../results/schema.js';
import { bytesToMiB, usToMs } from './format.js';

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
  kind: 'merged' | 'round';
  topology: string;
  statistic: string;
  round?: number;
  overheadMs: number;
  baselineMs: number;
}

/**
 * Per statistic, the topology's merged figure minus the baseline's ('merged'), and the same
 * difference within each round both ran in ('round': trials interleaved back to back).
 */
export function overheadRows(summary: ResultsSummary): OverheadRow[] {
  const baseline = baselineOf(summary);
  if (baseline === undefined) return [];
  const rows: OverheadRow[] = [];
  for (const topology of summary.topologies) {
    if (topology.topology === baseline.topology || topology.overheadVsBaselineUs === undefined) continue;
    for (const statistic of LATENCY_STATISTICS) {
      rows.push({
        kind: 'merged',
        topology: topology.topology,
        statistic: STATISTIC_LABELS[statistic],
        overheadMs: usToMs(topology.overheadVsBaselineUs[statistic]),
        baselineMs: usToMs(baseline.latency[statistic]),
      });
      for (const trial of topology.trials) {
        const baselineTrial = baseline.trials.find((candidate) => candidate.round === trial.round);
        if (baselineTrial === undefined || trial.latency.count === 0 || baselineTrial.latency.count === 0) continue;
        rows.push({
          kind: 'round',
          topology: topology.topology,
          statistic: STATISTIC_LABELS[statistic],
          round: trial.round,
          overheadMs: usToMs(trial.latency[statistic] - baselineTrial.latency[statistic]),
          baselineMs: usToMs(baselineTrial.latency[statistic]),
        });
      }
    }
  }
  return rows;
}

export const PROXY_ESTIMATOR = 'total − x-envoy-upstream-service-time (nearest proxy, ms resolution)';
export const NETWORK_ESTIMATOR = 'total − x-app-service-time-us (network + all proxies, µs resolution)';

export interface PerRequestRow {
  topology: string;
  estimator: string;
  statistic: string;
  valueMs: number;
  count: number;
}

export function perRequestRows(summary: ResultsSummary): PerRequestRow[] {
  const rows: PerRequestRow[] = [];
  const add = (topology: string, estimator: string, latency: LatencySummaryUs | undefined): void => {
    if (latency === undefined || latency.count === 0) return;
    for (const statistic of PERCENTILE_STATISTICS) {
      rows.push({ topology, estimator, statistic: STATISTIC_LABELS[statistic], valueMs: usToMs(latency[statistic]), count: latency.count });
    }
  };
  for (const topology of summary.topologies) add(topology.topology, PROXY_ESTIMATOR, topology.perRequest.proxyOverheadUs);
  for (const topology of summary.topologies) add(topology.topology, NETWORK_ESTIMATOR, topology.perRequest.networkAndProxiesUs);
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
