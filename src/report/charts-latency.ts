/** Vega-Lite specs of the latency charts: pure functions of the analysis summary. */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultsSummary } from '../analysis/types.js';
import {
  NETWORK_ESTIMATOR,
  PERCENTILE_STATISTICS,
  PROXY_ESTIMATOR,
  STATISTIC_LABELS,
  baselineOf,
  overheadRows,
  percentileRows,
  perRequestRows,
  topologyOrder,
} from './chart-data.js';
import { LATENCY_STATISTICS } from '../analysis/types.js';

/** Percentile axis ticks: 1/(1−p) for P50, P90, P99, P99.9, P99.99, P99.999. */
const TAIL_TICKS = [2, 10, 100, 1_000, 10_000, 100_000];

function topologyColor(summary: ResultsSummary) {
  return { field: 'topology', type: 'nominal', title: 'topology', scale: { domain: topologyOrder(summary) }, sort: topologyOrder(summary) } as const;
}

/**
 * (a) Latency by percentile, one line per topology: x is 1/(1−p) on a log scale labelled as
 * percentiles, y the latency on a log scale. Undefined when no topology has a curve.
 */
export function latencyPercentileSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = percentileRows(summary);
  if (rows.length === 0) return undefined;
  const maxTail = Math.max(...rows.map((row) => row.oneOverTail));
  const ticks = TAIL_TICKS.filter((tick) => tick <= maxTail * 1.0001);
  return {
    description: 'Latency percentile distribution per topology',
    width: 640,
    height: 320,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'monotone', point: { size: 14 } },
    encoding: {
      x: {
        field: 'oneOverTail',
        type: 'quantitative',
        title: 'percentile (log scale of 1/(1−p))',
        scale: { type: 'log', domainMin: 1 },
        axis: { values: ticks, labelExpr: "format(100 - 100 / datum.value, '.3~f') + '%'", grid: true },
      },
      y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' } },
      color: topologyColor(summary),
      tooltip: [
        { field: 'topology', type: 'nominal' },
        { field: 'percentile', type: 'quantitative', title: 'percentile (%)', format: '.4~f' },
        { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)', format: '.3f' },
      ],
    },
  };
}

/**
 * (b) Overhead vs the baseline at each percentile: grouped bars of the merged difference per
 * topology, with a dot per round for the difference measured within that round.
 */
export function overheadVsBaselineSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = overheadRows(summary);
  const baseline = baselineOf(summary);
  if (rows.length === 0 || baseline === undefined) return undefined;
  const statisticOrder = LATENCY_STATISTICS.map((statistic) => STATISTIC_LABELS[statistic]);
  const others = topologyOrder(summary).filter((name) => name !== baseline.topology);
  return {
    description: `Latency overhead vs ${baseline.topology} at each percentile`,
    width: 560,
    height: 300,
    data: { values: rows },
    encoding: {
      x: { field: 'statistic', type: 'nominal', title: null, sort: statisticOrder, axis: { labelAngle: 0 } },
      xOffset: { field: 'topology', type: 'nominal', sort: others, scale: { domain: others } },
      color: { ...topologyColor(summary), legend: { values: others } },
      y: { field: 'overheadMs', type: 'quantitative', title: `overhead vs ${baseline.topology} (ms)` },
    },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'merged'" }],
        mark: { type: 'bar' },
        encoding: {
          tooltip: [
            { field: 'topology', type: 'nominal' },
            { field: 'statistic', type: 'nominal' },
            { field: 'overheadMs', type: 'quantitative', title: 'overhead, all trials merged (ms)', format: '+.3f' },
            { field: 'baselineMs', type: 'quantitative', title: `${baseline.topology} (ms)`, format: '.3f' },
          ],
        },
      },
      {
        transform: [{ filter: "datum.kind === 'round'" }],
        mark: { type: 'point', filled: true, size: 26, opacity: 0.9, stroke: '#fff', strokeWidth: 0.8 },
        encoding: {
          color: { value: '#1d2329' },
          tooltip: [
            { field: 'topology', type: 'nominal' },
            { field: 'statistic', type: 'nominal' },
            { field: 'round', type: 'ordinal' },
            { field: 'overheadMs', type: 'quantitative', title: 'overhead within the round (ms)', format: '+.3f' },
          ],
        },
      },
    ],
  };
}

/**
 * (c) Per-request overhead from the response headers, one row of grouped bars per estimator:
 * total − upstream time (the nearest proxy, ms resolution) and total − app time (network and
 * every proxy, µs resolution).
 */
export function perRequestOverheadSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = perRequestRows(summary);
  if (rows.length === 0) return undefined;
  const statisticOrder = PERCENTILE_STATISTICS.map((statistic) => STATISTIC_LABELS[statistic]);
  const topologies = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  return {
    description: 'Per-request overhead estimated from response headers',
    data: { values: rows },
    mark: { type: 'bar' },
    width: 560,
    height: 200,
    encoding: {
      row: { field: 'estimator', type: 'nominal', title: null, sort: [PROXY_ESTIMATOR, NETWORK_ESTIMATOR], header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } },
      x: { field: 'statistic', type: 'nominal', title: null, sort: statisticOrder, axis: { labelAngle: 0 } },
      xOffset: { field: 'topology', type: 'nominal', sort: topologies, scale: { domain: topologies } },
      y: { field: 'valueMs', type: 'quantitative', title: 'per request (ms)' },
      color: topologyColor(summary),
      tooltip: [
        { field: 'topology', type: 'nominal' },
        { field: 'estimator', type: 'nominal' },
        { field: 'statistic', type: 'nominal' },
        { field: 'valueMs', type: 'quantitative', title: 'value (ms)', format: '.3f' },
        { field: 'count', type: 'quantitative', title: 'requests with the header', format: ',' },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
