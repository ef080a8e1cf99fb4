import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { percentileRows, overheadRows } from './chart-data.js';
import { buildReportCharts, latencyPercentileSpec, overheadVsBaselineSpec } from './charts.js';
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

describe('report charts', () => {
  const { summary } = makeFixture();
  const charts = buildReportCharts(summary);

  it('has the seven charts, each once', () => {
    expect(charts.map((chart) => chart.id)).toEqual([
      'latency-percentiles',
      'overhead-vs-baseline',
      'per-request-overhead',
      'cpu-over-time',
      'ctx-switches-over-time',
      'resource-efficiency',
      'rss',
    ]);
  });

  it.each(charts.map((chart) => [chart.id, chart] as const))('%s compiles without error or warning and renders headless', async (_id, chart) => {
    const compiled = compileStrictly(chart.spec);
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.length).toBeGreaterThan(2_000);
  });

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

  it('measures overhead against the baseline, merged and per round', () => {
    const rows = overheadRows(summary);
    const sidecar = summary.topologies.find((t) => t.topology === 'sidecar');
    const merged = rows.find((row) => row.kind === 'merged' && row.topology === 'sidecar' && row.statistic === 'P50');
    expect(merged?.overheadMs).toBe((sidecar?.overheadVsBaselineUs?.p50Us ?? NaN) / 1000);
    expect(rows.filter((row) => row.kind === 'round' && row.topology === 'sidecar' && row.statistic === 'P99')).toHaveLength(2);
    expect(rows.some((row) => row.topology === 'app-only')).toBe(false);
  });

  it('leaves out the overhead chart when the run has no baseline', () => {
    const withoutBaseline = { ...summary, baseline: undefined };
    expect(overheadVsBaselineSpec(withoutBaseline)).toBeUndefined();
    expect(buildReportCharts(withoutBaseline).map((chart) => chart.id)).not.toContain('overhead-vs-baseline');
  });

  it('draws nothing from an empty summary', () => {
    expect(buildReportCharts({ topologies: [] })).toEqual([]);
  });
});
