/**
 * The report's charts: one Vega-Lite spec per chart, each a pure function of the analysis summary
 * (see charts-latency.ts and charts-resources.ts). A chart without data is left out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultsSummary } from '../analysis/types.js';
import { latencyPercentileSpec, overheadVsBaselineSpec, perRequestOverheadSpec } from './charts-latency.js';
import { cpuOverTimeSpec, ctxSwitchesOverTimeSpec, resourceEfficiencySpec, rssSpec } from './charts-resources.js';

export { latencyPercentileSpec, overheadVsBaselineSpec, perRequestOverheadSpec } from './charts-latency.js';
export { cpuOverTimeSpec, ctxSwitchesOverTimeSpec, resourceEfficiencySpec, rssSpec } from './charts-resources.js';

export type ReportChartId =
  | 'latency-percentiles'
  | 'overhead-vs-baseline'
  | 'per-request-overhead'
  | 'cpu-over-time'
  | 'ctx-switches-over-time'
  | 'resource-efficiency'
  | 'rss';

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
      `Bars: the topology's percentile minus the same percentile of ${summary.baseline ?? 'the baseline'}, all trials merged. ` +
      'Dots: the same difference within each round (trials are interleaved, so a round compares runs made minutes apart). ' +
      'Dots far apart mean the difference is within the noise of this machine.',
    build: overheadVsBaselineSpec,
  },
  {
    id: 'per-request-overhead',
    title: 'Per-request overhead from response headers',
    caption: () =>
      'Top: client latency minus x-envoy-upstream-service-time, the nearest proxy\'s own time. ' +
      'x-envoy-upstream-service-time has 1 ms resolution, so this header estimator is quantised to whole milliseconds; ' +
      'with sub-millisecond requests the upstream time reads 0 ms and the estimate approaches the whole latency. ' +
      'Bottom: client latency minus x-app-service-time-us, network plus every proxy, at µs resolution ' +
      '(for the baseline it is the network alone).',
    build: perRequestOverheadSpec,
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
