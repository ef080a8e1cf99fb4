/** Vega-Lite specs of the resource charts: pure functions of the analysis summary. */
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { FacetedUnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { ResultsSummary } from '../analysis/types.js';
import { componentDomain, containerRows, seriesRows, topologyOrder, type ContainerRow } from './chart-data.js';

const PANEL_WIDTH = 300;
const PANEL_HEIGHT = 170;

function componentColor(domain: string[]) {
  return { field: 'component', type: 'nominal', title: 'container (side role)', scale: { domain }, sort: domain } as const;
}

/** A time series of one ResourcePoint field: one panel per topology, one line per container per round. */
function resourceOverTimeSpec(
  summary: ResultsSummary,
  field: 'vcpu' | 'ctxSwitchesPerSecond',
  title: string,
  format: string,
): TopLevelSpec | undefined {
  const rows = seriesRows(summary);
  if (rows.length === 0) return undefined;
  // Only the plotted field travels into the page: the series are the bulk of its data.
  const values = rows.map(({ topology, round, container, component, tSeconds, [field]: value }) => ({
    topology, round, container, component, tSeconds, [field]: value,
  }));
  const topologies = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  const rounds = [...new Set(rows.map((row) => row.round))].sort((a, b) => a - b);
  return {
    description: `${title} over time per container`,
    data: { values },
    facet: { field: 'topology', type: 'nominal', title: null, sort: topologies, header: { labelFontWeight: 'bold', labelFontSize: 12 } },
    columns: Math.min(3, topologies.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85 },
      encoding: {
        x: { field: 'tSeconds', type: 'quantitative', title: 'seconds into the measured window' },
        y: { field, type: 'quantitative', title },
        color: componentColor(componentDomain(rows)),
        strokeDash: { field: 'round', type: 'ordinal', title: 'round', scale: { domain: rounds } },
        detail: [{ field: 'container', type: 'nominal' }, { field: 'round', type: 'ordinal' }],
        tooltip: [
          { field: 'container', type: 'nominal' },
          { field: 'round', type: 'ordinal' },
          { field: 'tSeconds', type: 'quantitative', title: 't (s)', format: '.2f' },
          { field, type: 'quantitative', title, format },
        ],
      },
    },
  };
}

/** (d) vCPU (cores busy) per container over time. */
export function cpuOverTimeSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  return resourceOverTimeSpec(summary, 'vcpu', 'vCPU (cores busy)', '.3f');
}

/** (e) Context switches per second (voluntary + involuntary, all threads) per container over time. */
export function ctxSwitchesOverTimeSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  return resourceOverTimeSpec(summary, 'ctxSwitchesPerSecond', 'context switches / s', ',.0f');
}

type ContainerField = 'vcpuPer1kRps' | 'ctxSwitchesPerRequest' | 'rssMaxMiB';

/** Horizontal bars per topology, one bar per container, all containers in one colour scheme. */
function containerBars(rows: ContainerRow[], topologies: string[], field: ContainerField, title: string): FacetedUnitSpec<Field> {
  const domain = componentDomain(rows);
  return {
    width: 300,
    height: { step: 12, for: 'offset' },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'topology', type: 'nominal', title: null, sort: topologies, scale: { domain: topologies } },
      yOffset: { field: 'component', type: 'nominal', sort: domain, scale: { domain } },
      x: { field, type: 'quantitative', title },
      color: componentColor(domain),
      tooltip: [
        { field: 'topology', type: 'nominal' },
        { field: 'container', type: 'nominal' },
        { field: 'vcpu', type: 'quantitative', title: 'vCPU', format: '.3f' },
        { field: 'vcpuPer1kRps', type: 'quantitative', title: 'vCPU per 1k RPS', format: '.3f' },
        { field: 'ctxSwitchesPerRequest', type: 'quantitative', title: 'context switches / request', format: '.2f' },
        { field: 'rssMaxMiB', type: 'quantitative', title: 'RSS max (MiB)', format: '.1f' },
        { field: 'rssMeanMiB', type: 'quantitative', title: 'RSS mean (MiB)', format: '.1f' },
      ],
    },
  };
}

/** (f) vCPU per 1k RPS and context switches per request, per container (mean over ok trials). */
export function resourceEfficiencySpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = containerRows(summary);
  if (rows.length === 0) return undefined;
  const topologies = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  return {
    description: 'vCPU per 1k RPS and context switches per request, per container',
    data: { values: rows },
    hconcat: [
      containerBars(rows, topologies, 'vcpuPer1kRps', 'vCPU per 1k RPS'),
      containerBars(rows, topologies, 'ctxSwitchesPerRequest', 'context switches per request'),
    ],
    resolve: { scale: { color: 'shared' } },
  };
}

/** (g) Peak resident memory per container (mean over ok trials of each trial's maximum). */
export function rssSpec(summary: ResultsSummary): TopLevelSpec | undefined {
  const rows = containerRows(summary);
  if (rows.length === 0) return undefined;
  const topologies = topologyOrder(summary).filter((name) => rows.some((row) => row.topology === name));
  return {
    ...containerBars(rows, topologies, 'rssMaxMiB', 'RSS max (MiB)'),
    description: 'Resident memory (RSS) per container',
    data: { values: rows },
  };
}
