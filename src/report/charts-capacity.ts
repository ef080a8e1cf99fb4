/** Vega-Lite specs of the capacity section (a rate sweep): pure functions of the capacity summary. */
import type { TopLevelSpec } from 'vega-lite';
import type { CapacitySummary } from '../analysis/capacity.js';
import { predict } from '../analysis/linear-fit.js';

const WIDTH = 460;
const HEIGHT = 240;
const MIB = 2 ** 20;

/**
 * Latency against achieved throughput per topology: P50 and P99 (median over each step's trials,
 * with the P99's interval as a bar), the SLO's P99 as a rule, and each topology's knee circled.
 */
export function capacityLatencySpec(capacity: CapacitySummary | undefined): TopLevelSpec | undefined {
  if (!capacity || capacity.topologies.every((topology) => topology.steps.length === 0)) return undefined;
  const values = capacity.topologies.flatMap((topology) =>
    topology.steps.flatMap((step) => {
      const rps = step.achievedRps.median;
      const base = { topology: topology.topology, targetRps: step.targetRps, rps, meets: step.meets ? 'meets the SLO' : 'misses the SLO', knee: topology.knee.rps === step.targetRps };
      return [
        ...(Number.isFinite(step.p99Us.median) ? [{ ...base, statistic: 'P99', ms: step.p99Us.median / 1000, lowMs: step.p99Us.low / 1000, highMs: step.p99Us.high / 1000 }] : []),
        ...(Number.isFinite(step.p50Us.median) ? [{ ...base, statistic: 'P50', ms: step.p50Us.median / 1000, lowMs: step.p50Us.low / 1000, highMs: step.p50Us.high / 1000 }] : []),
      ];
    }),
  );
  if (values.length === 0) return undefined;
  const x = { field: 'rps', type: 'quantitative', title: 'achieved req/s (successful, median over the step’s trials)' } as const;
  const y = { field: 'ms', type: 'quantitative', title: 'latency, ms (log)', scale: { type: 'log' } } as const;
  return {
    description: 'Latency against achieved throughput per topology, the SLO and each knee',
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y,
          color: { field: 'topology', type: 'nominal' },
          // Fixed, so the caption's "P99 solid, P50 dashed" holds (a nominal default would dash by sort order).
          strokeDash: { field: 'statistic', type: 'nominal', title: 'percentile', scale: { domain: ['P99', 'P50'], range: [[1, 0], [4, 3]] } },
          detail: [{ field: 'statistic', type: 'nominal' }],
          tooltip: [
            { field: 'topology', type: 'nominal' },
            { field: 'statistic', type: 'nominal' },
            { field: 'targetRps', type: 'quantitative', title: 'offered req/s' },
            { field: 'rps', type: 'quantitative', title: 'achieved req/s', format: '.0f' },
            { field: 'ms', type: 'quantitative', title: 'ms', format: '.3f' },
            { field: 'lowMs', type: 'quantitative', title: 'CI low ms', format: '.3f' },
            { field: 'highMs', type: 'quantitative', title: 'CI high ms', format: '.3f' },
            { field: 'meets', type: 'nominal', title: 'step' },
          ],
        },
      },
      {
        data: { values: values.filter((value) => value.statistic === 'P99') },
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: 'lowMs', type: 'quantitative', scale: { type: 'log' } }, y2: { field: 'highMs' }, color: { field: 'topology', type: 'nominal' } },
      },
      {
        data: { values: values.filter((value) => value.knee && value.statistic === 'P99') },
        mark: { type: 'point', shape: 'circle', size: 260, filled: false, strokeWidth: 2.5 },
        encoding: { x, y, color: { field: 'topology', type: 'nominal' }, tooltip: [{ field: 'topology', type: 'nominal', title: 'knee of' }, { field: 'targetRps', type: 'quantitative', title: 'knee, offered req/s' }] },
      },
      {
        data: { values: [{ sloMs: capacity.slo.p99Us / 1000 }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#b00' },
        encoding: { y: { field: 'sloMs', type: 'quantitative' }, tooltip: [{ field: 'sloMs', type: 'quantitative', title: 'SLO P99 (ms)' }] },
      },
    ],
  } as TopLevelSpec;
}

/** Sidecar vCPU against achieved req/s: every trial used by the fit, and the fitted line over its range. */
export function capacityCpuSpec(capacity: CapacitySummary | undefined): TopLevelSpec | undefined {
  const sidecars = (capacity?.topologies ?? []).flatMap((topology) => topology.sidecars.map((sidecar) => ({ topology, sidecar, series: `${topology.topology} / ${sidecar.side} sidecar` })));
  const points = sidecars.flatMap(({ sidecar, series }) => sidecar.points.map((point) => ({ series, rps: point.rps, vcpu: point.vcpu, round: point.round, step: point.step })));
  if (points.length === 0) return undefined;
  const lines = sidecars.flatMap(({ sidecar, series }) => {
    if (!sidecar.cpuFit) return [];
    const xs = sidecar.points.map((point) => point.rps);
    return [0, Math.max(...xs)].map((rps) => ({ series, rps, vcpu: predict(sidecar.cpuFit!, rps) }));
  });
  const x = { field: 'rps', type: 'quantitative', title: 'achieved req/s' } as const;
  const y = { field: 'vcpu', type: 'quantitative', title: 'sidecar vCPU (cores busy)' } as const;
  const color = { field: 'series', type: 'nominal', title: 'topology / sidecar' } as const;
  return {
    description: 'Sidecar CPU against achieved throughput, with the least-squares line',
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values: lines }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, y, color } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { x, y, color, tooltip: [color, { field: 'step', type: 'ordinal' }, { field: 'round', type: 'ordinal' }, { ...x, format: '.0f' }, { ...y, format: '.3f' }] },
      },
    ],
  } as TopLevelSpec;
}

/** Sidecar peak RSS per trial against the connection pool (x) and achieved req/s (tooltip). */
export function capacityMemorySpec(capacity: CapacitySummary | undefined): TopLevelSpec | undefined {
  const values = (capacity?.topologies ?? []).flatMap((topology) =>
    topology.sidecars.flatMap((sidecar) => sidecar.points.map((point) => ({ series: `${topology.topology} / ${sidecar.side} sidecar`, rps: point.rps, connections: point.connections, rssMiB: point.rssBytes / MIB }))),
  );
  if (values.length === 0) return undefined;
  return {
    description: 'Sidecar peak RSS per trial against achieved throughput',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'point', filled: true, size: 40 },
    encoding: {
      x: { field: 'rps', type: 'quantitative', title: 'achieved req/s' },
      y: { field: 'rssMiB', type: 'quantitative', title: 'peak RSS, MiB', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: 'topology / sidecar' },
      tooltip: [{ field: 'series', type: 'nominal' }, { field: 'connections', type: 'quantitative', title: 'connection pool' }, { field: 'rps', type: 'quantitative', format: '.0f' }, { field: 'rssMiB', type: 'quantitative', format: '.1f' }],
    },
  } as TopLevelSpec;
}
