/** Vega-Lite specs of the latency charts: pure functions of the analysis summary. */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultsSummary } from '../analysis/types.js';
import { LATENCY_STATISTICS } from '../analysis/types.js';
import { PERCENTILE_STATISTICS, STATISTIC_LABELS, baselineOf, estimatorRows, overheadRows, percentileRows, topologyOrder } from './chart-data.js';
import { ESTIMATOR_ORDER, ESTIMATOR_SHORT_LABELS } from './summary-types.js';

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

/** The interval of an 'estimate' row as a vertical bar with caps: y = low, y2 = high. */
function intervalLayer(filter: string | undefined, title: string) {
  return {
    ...(filter === undefined ? {} : { transform: [{ filter }] }),
    mark: { type: 'errorbar', ticks: { size: 8 }, thickness: 1.4, color: '#1d2329' },
    encoding: {
      y: { field: 'lowMs', type: 'quantitative', title },
      y2: { field: 'highMs' },
    },
  } as const;
}

/** One panel per statistic (each with its own y scale, so P50 is not flattened by max), in order. */
function statisticFacet(order: string[]) {
  return { field: 'statistic' as const, type: 'nominal' as const, title: null, sort: order, header: { labelFontWeight: 'bold' as const, labelFontSize: 12 } };
}

/** Bars need no x labels: the colour legend names them. */
const HIDDEN_X_AXIS = { title: null, labels: false, ticks: false } as const;

/**
 * (b) Overhead vs the baseline, one panel per percentile: bars are the differential estimator
 * (the topology's figure minus the baseline's in the same round, median over rounds), error bars
 * its confidence interval, dots each round's own difference.
 */
export function overheadVsBaselineSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = overheadRows(summary);
  const baseline = baselineOf(summary);
  if (rows.length === 0 || baseline === undefined) return undefined;
  const statisticOrder = LATENCY_STATISTICS.map((statistic) => STATISTIC_LABELS[statistic]);
  const others = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  const title = `Δ vs ${baseline.topology} (ms)`;
  const x = { field: 'topology', type: 'nominal', sort: others, scale: { domain: others }, axis: HIDDEN_X_AXIS } as const;
  return {
    description: `Latency overhead vs ${baseline.topology} at each percentile, median over rounds with its confidence interval`,
    data: { values: rows },
    facet: { column: statisticFacet(statisticOrder) },
    spec: {
      width: { step: 34 },
      height: 240,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'estimate'" }],
          mark: { type: 'bar' },
          encoding: {
            x,
            y: { field: 'medianMs', type: 'quantitative', title },
            color: { ...topologyColor(summary), legend: { values: others } },
            tooltip: [
              { field: 'topology', type: 'nominal' },
              { field: 'statistic', type: 'nominal' },
              { field: 'ci', type: 'nominal', title: 'overhead: median over rounds [CI]' },
              { field: 'trials', type: 'quantitative', title: 'paired rounds' },
              { field: 'baselineMs', type: 'quantitative', title: `${baseline.topology}, median over trials (ms)`, format: '.3f' },
            ],
          },
        },
        { ...intervalLayer("datum.kind === 'estimate'", title), encoding: { ...intervalLayer(undefined, title).encoding, x } },
        {
          transform: [{ filter: "datum.kind === 'round'" }],
          mark: { type: 'point', filled: true, size: 20, opacity: 0.8, stroke: '#fff', strokeWidth: 0.6 },
          encoding: {
            x,
            y: { field: 'overheadMs', type: 'quantitative', title },
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
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * (c) The overhead by each of the three estimators: one row of panels per topology, one panel per
 * percentile; bars are the median over rounds, error bars the confidence interval.
 */
export function overheadEstimatorsSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = estimatorRows(summary);
  if (rows.length === 0) return undefined;
  const statisticOrder = PERCENTILE_STATISTICS.map((statistic) => STATISTIC_LABELS[statistic]);
  const topologies = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  const estimators = ESTIMATOR_ORDER.map((name) => ESTIMATOR_SHORT_LABELS[name]).filter((label) => rows.some((row) => row.estimator === label));
  const title = 'overhead (ms)';
  const x = { field: 'estimator', type: 'nominal', sort: estimators, scale: { domain: estimators }, axis: HIDDEN_X_AXIS } as const;
  return {
    description: 'Overhead per topology by the differential, per-request header and per-request app-µs estimators',
    data: { values: rows },
    facet: {
      row: { field: 'topology', type: 'nominal', title: null, sort: topologies, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'middle', labelPadding: 0, labelFontWeight: 'bold', labelFontSize: 12 } },
      column: statisticFacet(statisticOrder),
    },
    spec: {
      width: { step: 36 },
      height: 150,
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x,
            y: { field: 'medianMs', type: 'quantitative', title },
            color: { field: 'estimator', type: 'nominal', title: 'estimator', sort: estimators, scale: { domain: estimators } },
            tooltip: [
              { field: 'topology', type: 'nominal' },
              { field: 'estimator', type: 'nominal' },
              { field: 'statistic', type: 'nominal' },
              { field: 'ci', type: 'nominal', title: 'median over rounds [CI]' },
              { field: 'trials', type: 'quantitative', title: 'rounds' },
            ],
          },
        },
        { ...intervalLayer(undefined, title), encoding: { ...intervalLayer(undefined, title).encoding, x } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
