/**
 * The report's charts: one Vega-Lite spec per chart, each a pure function of the analysis summary
 * (see charts-latency.ts and charts-resources.ts). A chart without data is left out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultsSummary } from '../analysis/types.js';
import { latencyPercentileSpec, overheadVsBaselineSpec, overheadEstimatorsSpec } from './charts-latency.js';
import { cpuOverTimeSpec, ctxSwitchesOverTimeSpec, resourceEfficiencySpec, rssSpec } from './charts-resources.js';
import { capacityCpuSpec, capacityLatencySpec, capacityMemorySpec } from './charts-capacity.js';

export { latencyPercentileSpec, overheadVsBaselineSpec, overheadEstimatorsSpec } from './charts-latency.js';
export { cpuOverTimeSpec, ctxSwitchesOverTimeSpec, resourceEfficiencySpec, rssSpec } from './charts-resources.js';

export type ReportChartId =
  | 'latency-percentiles'
  | 'overhead-vs-baseline'
  | 'overhead-estimators'
  | 'cpu-over-time'
  | 'ctx-switches-over-time'
  | 'resource-efficiency'
  | 'rss'
  | 'capacity-latency'
  | 'capacity-cpu'
  | 'capacity-memory';

export interface ReportChart {
  /** Id of the chart's element in the page (prefixed with "chart-") and key of its spec. */
  id: ReportChartId;
  title: string;
  /** How to read the chart: plain text, escaped by the page. */
  caption: string;
  spec: TopLevelSpec;
}

interface ChartDefinition {
  id: ReportChartId;
  title: string;
  caption: (summary: ResultsSummary) => string;
  build: (summary: ResultsSummary) => TopLevelSpec | undefined;
}

const CHARTS: readonly ChartDefinition[] = [
  {
    id: 'latency-percentiles',
    title: 'Latency by percentile',
    caption: () =>
      'All ok trials of each topology merged. The x axis is 1/(1−p) on a log scale, so each step right is ten times ' +
      'rarer (50%, 90%, 99%, 99.9% …); the y axis is log scale too. Lines that stay parallel mean a constant ratio; ' +
      'a line that bends up at the right has a worse tail.',
    build: latencyPercentileSpec,
  },
  {
    id: 'overhead-vs-baseline',
    title: 'Overhead vs baseline at each percentile',
    caption: (summary) =>
      `Bars: the differential estimator, the topology's percentile minus the same percentile of ${summary.baseline ?? 'the baseline'} ` +
      'in the same round, median over rounds. Error bars: its confidence interval (order statistics; see "Three estimators"). ' +
      'Dots: each round\'s own difference (trials are interleaved, so a round compares runs made seconds apart). ' +
      'An error bar that crosses zero means this run cannot tell the overhead from the machine\'s noise.',
    build: overheadVsBaselineSpec,
  },
  {
    id: 'overhead-estimators',
    title: 'Overhead by estimator',
    caption: () =>
      'Per topology, the overhead over the baseline by each estimator: bars are the median over rounds, error bars the ' +
      'confidence interval. The differential sees everything the topology adds at µs resolution; the header estimator ' +
      '(client latency − x-envoy-upstream-service-time) sees only the proxy nearest the client and is quantised to whole ms; ' +
      'the app-µs estimator (client latency − x-app-service-time-us, minus the baseline\'s) sees network and every proxy at µs resolution.',
    build: overheadEstimatorsSpec,
  },
  {
    id: 'cpu-over-time',
    title: 'CPU over time',
    caption: () =>
      'Cores busy per container (utime + stime of all its processes, from /proc), one panel per topology, ' +
      'one line per container and round. Pause containers are left out. A line that climbs during the window ' +
      'points to warm-up or drift, not steady cost.',
    build: cpuOverTimeSpec,
  },
  {
    id: 'ctx-switches-over-time',
    title: 'Context switches over time',
    caption: () =>
      'Voluntary + involuntary context switches per second, summed over every thread of the container, ' +
      'one panel per topology, one line per container and round.',
    build: ctxSwitchesOverTimeSpec,
  },
  {
    id: 'resource-efficiency',
    title: 'CPU and context switches per unit of work',
    caption: () =>
      'Per container, the mean over ok trials: vCPU per 1,000 requests per second (left) and context switches per ' +
      'request (right). The seed\'s reference for a sidecar is 0.1–0.5 vCPU per 1k RPS.',
    build: resourceEfficiencySpec,
  },
  {
    id: 'rss',
    title: 'Memory (RSS) per container',
    caption: () =>
      'Peak resident set size of each container\'s processes during the measured window, mean over ok trials, in MiB ' +
      '(the seed\'s reference for a sidecar is 128–512 MiB).',
    build: rssSpec,
  },
  {
    id: 'capacity-latency',
    title: 'Latency against throughput, with each knee',
    caption: (summary) =>
      `Each point is one step of the rate sweep: the median over its trials of P99 (solid) and P50 (dashed) against the median achieved req/s; ` +
      `vertical bars: the P99's confidence interval. The dashed red line is the SLO's P99 (${((summary.capacity?.slo.p99Us ?? 0) / 1000).toFixed(2)} ms); ` +
      'the circled point is each topology\'s knee, the highest rate at which it and every lower step met the SLO. A curve that turns up sharply is queueing.',
    build: (summary) => capacityLatencySpec(summary.capacity),
  },
  {
    id: 'capacity-cpu',
    title: 'Sidecar CPU against throughput, fitted',
    caption: () =>
      'One point per trial that kept its rate with under 1 % errors: the sidecar container\'s cores busy against achieved req/s. ' +
      'The dashed line is the least-squares fit; its slope × 1000 is the vCPU per 1k req/s in the table above, its intercept the idle cost.',
    build: (summary) => capacityCpuSpec(summary.capacity),
  },
  {
    id: 'capacity-memory',
    title: 'Sidecar memory across the sweep',
    caption: () => 'Peak RSS of each sidecar container per trial against achieved req/s (the tooltip gives the step\'s connection pool). A flat cloud means memory does not grow with load.',
    build: (summary) => capacityMemorySpec(summary.capacity),
  },
];

/** The report's look, shared by every chart: slightly larger text than Vega-Lite's defaults, system fonts. */
export const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/** Every chart that has data, in page order, with the report's config. */
export function buildReportCharts(summary: ResultsSummary): ReportChart[] {
  const charts: ReportChart[] = [];
  for (const definition of CHARTS) {
    const spec = definition.build(summary);
    if (spec === undefined) continue;
    charts.push({ id: definition.id, title: definition.title, caption: definition.caption(summary), spec: { ...spec, config: CHART_CONFIG } });
  }
  return charts;
}
