/** The run's summary as a terminal table: one row per topology. */
import Table from 'cli-table3';
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';
import { baselineOf } from './chart-data.js';
import { DASH, formatMs, formatNumber, formatShare, formatSignedMs } from './format.js';
import { sidecarTotals } from './sidecar-totals.js';

export interface TerminalSummaryOptions {
  /**
   * ANSI colours (bold headers, errors in red). Default false: pass `stream.isTTY` of the stream
   * the summary goes to, so a pipe, a file or a CI log gets plain text.
   */
  color?: boolean;
}

const ANSI = { bold: '\u001b[1m', red: '\u001b[31m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;

function paint(text: string, style: keyof typeof ANSI, color: boolean): string {
  return color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}

function errorsText(topology: TopologySummary): string {
  const { connectionErrors, timeouts, non2xx, errorRate } = topology.errors;
  const count = connectionErrors + timeouts + non2xx;
  return count === 0 ? '0' : `${formatNumber(count)} (${formatShare(errorRate)})`;
}

/** A table of the figures a reader of a CI log needs first; the HTML report has the rest. */
export function renderTerminalSummary(summary: ResultsSummary, options: TerminalSummaryOptions = {}): string {
  const color = options.color ?? false;
  const baseline = baselineOf(summary);
  const baseName = baseline?.topology ?? 'baseline';
  const head = [
    'topology', 'RPS', 'P50 ms', 'P90 ms', 'P99 ms', 'P99.9 ms',
    `Δ P50 ms\nvs ${baseName}`, `Δ P99 ms\nvs ${baseName}`, 'errors', 'sidecar vCPU\nper 1k RPS', 'sidecar RSS\nMiB',
  ];
  const table = new Table({
    head: head.map((cell) => paint(cell, 'bold', color)),
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const topology of summary.topologies) {
    const isBaseline = baseline !== undefined && topology === baseline;
    const overhead = topology.overheadVsBaselineUs;
    const sidecars = sidecarTotals(topology);
    const errors = errorsText(topology);
    const failed = topology.failedTrials > 0 ? ` (${topology.failedTrials} failed)` : '';
    table.push([
      topology.topology + failed,
      formatNumber(topology.rps),
      formatMs(topology.latency.p50Us),
      formatMs(topology.latency.p90Us),
      formatMs(topology.latency.p99Us),
      formatMs(topology.latency.p999Us),
      isBaseline ? paint('baseline', 'dim', color) : formatSignedMs(overhead?.p50Us),
      isBaseline ? paint('baseline', 'dim', color) : formatSignedMs(overhead?.p99Us),
      errors === '0' ? errors : paint(errors, 'red', color),
      sidecars.count === 0 ? DASH : formatNumber(sidecars.vcpuPer1kRps, 3),
      sidecars.count === 0 ? DASH : formatNumber(sidecars.rssMaxMiB, 1),
    ]);
  }
  const notes = [
    'Latency in ms (3 decimals = 1 µs); Δ = the topology\'s percentile minus the baseline\'s.',
    'Sidecar figures: sum over the sidecar containers, mean over ok trials; RSS is each sidecar\'s peak.',
  ];
  return `${table.toString()}\n${notes.map((note) => paint(note, 'dim', color)).join('\n')}\n`;
}
