import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { estimateMedian } from '../analysis/statistics.js';
import { estimatorRows, overheadRows, percentileRows } from './chart-data.js';
import { buildReportCharts, latencyPercentileSpec, overheadEstimatorsSpec, overheadVsBaselineSpec } from './charts.js';
import { makeFixture } from './fixtures.js';

function compileStrictly(spec: TopLevelSpec): vega.Spec {
  const messages: string[] = [];
  const logger: vega.LoggerInterface = {
    level: (() => logger) as vega.LoggerInterface['level'],
    error: (...args: readonly unknown[]) => ((messages.push(`error: ${args.join(' ')}`), logger)),
    warn: (...args: readonly unknown[]) => ((messages.push(`warn: ${args.join(' ')}`), logger)),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec, { logger }).spec;
  expect(messages).toEqual([]);
  return compiled;
}

const CHART_IDS = [
  'latency-percentiles',
  'overhead-vs-baseline',
  'overhead-estimators',
  'cpu-over-time',
  'ctx-switches-over-time',
  'resource-efficiency',
  'rss',
];

describe('report charts', () => {
  const { summary } = makeFixture();
  const charts = buildReportCharts(summary);
  const variants = [
    ['closed', charts],
    ['open model', buildReportCharts(makeFixture({ openModel: true }).summary)],
    ['calibration', buildReportCharts(makeFixture({ calibration: true }).summary)],
  ] as const;

  it('has the seven charts, each once, in every kind of run', () => {
    for (const [, built] of variants) expect(built.map((chart) => chart.id)).toEqual(CHART_IDS);
  });

  it.each(variants.flatMap(([kind, built]) => built.map((chart) => [`${kind}: ${chart.id}`, chart] as const)))(
    '%s compiles without error or warning and renders headless',
    async (_id, chart) => {
      const compiled = compileStrictly(chart.spec);
      const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      const svg = await view.toSVG();
      view.finalize();
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.length).toBeGreaterThan(2_000);
    },
  );

  it('puts the percentiles on a 1/(1−p) axis without P100', () => {
    const rows = percentileRows(summary);
    expect(rows.every((row) => row.percentile < 100 && row.latencyMs > 0)).toBe(true);
    const at = (percentile: number) => rows.find((row) => row.topology === 'app-only' && row.percentile === percentile);
    expect(at(50)?.oneOverTail).toBe(2);
    expect(at(75)?.oneOverTail).toBe(4);
    expect(at(87.5)?.oneOverTail).toBe(8);
    // The curve halves the remaining tail every 4 points, so 1/(1−p) = 2^(k/4).
    for (const row of rows) expect(Math.abs(4 * Math.log2(row.oneOverTail) - Math.round(4 * Math.log2(row.oneOverTail)))).toBeLessThan(1e-9);
    expect(Math.max(...rows.map((row) => row.oneOverTail))).toBeGreaterThan(10_000);
    expect(JSON.stringify(latencyPercentileSpec(summary))).toContain("format(100 - 100 / datum.value, '.3~f') + '%'");
  });

  it('plots the differential estimator with its interval, and a dot per round', () => {
    const rows = overheadRows(summary);
    const sidecar = summary.topologies.find((t) => t.topology === 'sidecar')!;
    const estimate = rows.find((row) => row.kind === 'estimate' && row.topology === 'sidecar' && row.statistic === 'P50');
    const differential = sidecar.estimators!.differential.p50Us;
    expect(estimate).toMatchObject({ medianMs: differential.median / 1000, lowMs: differential.low / 1000, highMs: differential.high / 1000, trials: 6 });
    expect(estimate?.ci).toBe('+0.436 ms [+0.36, +0.50]');
    expect(rows.some((row) => row.topology === 'app-only')).toBe(false);
    // The dots are the per-round differences the estimator takes the median of.
    for (const statistic of ['P50', 'P99', 'max']) {
      const dots = rows.filter((row) => row.kind === 'round' && row.topology === 'sidecar' && row.statistic === statistic);
      expect(dots).toHaveLength(6);
      const fromDots = estimateMedian(dots.map((row) => Math.round((row.overheadMs ?? NaN) * 1000)));
      const key = ({ P50: 'p50Us', P99: 'p99Us', max: 'maxUs' } as const)[statistic as 'P50'];
      expect(fromDots).toEqual(sidecar.estimators!.differential[key]);
    }
    const spec = JSON.stringify(overheadVsBaselineSpec(summary));
    expect(spec).toContain('"type":"errorbar"');
    expect(spec).toContain('"field":"lowMs"');
    expect(spec).toContain('"field":"highMs"');
  });

  it('shows each estimator with its interval per topology and percentile', () => {
    const rows = estimatorRows(summary);
    expect(new Set(rows.map((row) => row.topology))).toEqual(new Set(['sidecar-inbound', 'sidecar']));
    expect(new Set(rows.map((row) => row.estimator))).toEqual(new Set(['differential', 'header', 'app-µs']));
    expect(rows).toHaveLength(2 * 3 * 4);
    const header = rows.find((row) => row.topology === 'sidecar-inbound' && row.estimator === 'header' && row.statistic === 'P50');
    expect(header?.ci).toBe('+0.543 ms [+0.524, +0.569]');
    expect(JSON.stringify(overheadEstimatorsSpec(summary))).toContain('"type":"errorbar"');
  });

  it('leaves out the overhead charts when the run has no baseline', () => {
    const withoutBaseline = { ...summary, baseline: undefined, topologies: summary.topologies.map(({ estimators: _, ...topology }) => topology) };
    expect(overheadVsBaselineSpec(withoutBaseline)).toBeUndefined();
    expect(overheadEstimatorsSpec(withoutBaseline)).toBeUndefined();
    expect(buildReportCharts(withoutBaseline).map((chart) => chart.id)).not.toContain('overhead-vs-baseline');
  });

  it('draws nothing from an empty summary', () => {
    expect(buildReportCharts({ topologies: [], ciMethod: summary.ciMethod })).toEqual([]);
  });
});
