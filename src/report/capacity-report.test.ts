import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/index.js';
import type { Results } from '../results/schema.js';
import { buildReportCharts } from './charts.js';
import { makeFixtureResults } from './fixtures.js';
import { renderHtmlReport } from './html-report.js';

/** The open-model fixture read as a two-step sweep: rounds 0–2 at 2000/s, 3–5 at 4000/s. */
function sweepFixture(): Results {
  const results = makeFixtureResults({ openModel: true });
  const trials = results.trials.map((trial) => ({ ...trial, step: trial.round < 3 ? 0 : 1 }));
  return {
    ...results,
    trials,
    sweep: {
      slo: { p99Us: 10_000, maxErrorRate: 0.001 },
      arms: results.topologies.map((topology) => ({ arm: topology.name, steps: [{ step: 0, targetRps: 2000, connections: 16 }, { step: 1, targetRps: 4000, connections: 32 }], stop: 'every listed rate measured' })),
    },
  };
}

describe('capacity section', () => {
  it('summarizes a sweep per topology: judged steps, a knee, a fit per sidecar container', () => {
    const summary = summarizeResults(sweepFixture());
    const capacity = summary.capacity!;
    expect(capacity.topologies.map((topology) => topology.topology)).toEqual(summary.topologies.map((topology) => topology.topology));
    for (const topology of capacity.topologies) {
      expect(topology.steps.map((step) => [step.targetRps, step.trials])).toEqual([[2000, 3], [4000, 3]]);
      expect(['found', 'above-highest', 'below-lowest']).toContain(topology.knee.status);
    }
    const sidecar = capacity.topologies.find((topology) => topology.topology === 'sidecar-inbound')!;
    expect(sidecar.sidecars.length).toBe(1);
    // Two pool sizes (16, 32): the RSS fit exists; every usable trial is a point.
    expect(sidecar.sidecars[0]!.rssFit).toBeDefined();
    expect(sidecar.sidecars[0]!.points.length).toBeGreaterThanOrEqual(3);
    expect(summarizeResults(makeFixtureResults({ openModel: true })).capacity).toBeUndefined();
  });

  it('renders the section with its tables and charts, and nothing of it for a run without a sweep', async () => {
    const results = sweepFixture();
    const summary = summarizeResults(results);
    const html = await renderHtmlReport(results, summary);
    expect(html).toContain('<section id="capacity">');
    expect(html).toContain('class="capacity-knees"');
    expect(html).toContain('class="capacity-costs"');
    expect(html).toContain('vCPU per 1k req/s');
    const ids = buildReportCharts(summary).map((chart) => chart.id);
    expect(ids).toEqual(expect.arrayContaining(['capacity-latency', 'capacity-cpu', 'capacity-memory']));
    const plain = makeFixtureResults({ openModel: true });
    expect(await renderHtmlReport(plain, summarizeResults(plain))).not.toContain('id="capacity"');
  });

  it('draws P99 solid and P50 dashed, as the latency chart caption says', () => {
    const chart = buildReportCharts(summarizeResults(sweepFixture())).find((candidate) => candidate.id === 'capacity-latency')!;
    expect(chart.caption).toContain('P99 (solid) and P50 (dashed)');
    const layers = (chart.spec as { layer: { encoding?: { strokeDash?: { scale?: { domain: string[]; range: number[][] } } } }[] }).layer;
    const dash = layers[0]!.encoding!.strokeDash!.scale!;
    expect(dash.range[dash.domain.indexOf('P99')]).toEqual([1, 0]);
    expect(dash.range[dash.domain.indexOf('P50')]).not.toEqual([1, 0]);
  });
});
