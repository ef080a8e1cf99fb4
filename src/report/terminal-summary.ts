/**
 * The run's summary as a terminal table: one row per topology, overheads as median over rounds
 * [confidence interval]; a line per topology that did not sustain its open-model rate; and, for a
 * calibration run, its two tables and verdict.
 */
import Table from 'cli-table3';
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';
import { baselineOf } from './chart-data.js';
import { DASH, formatEstimateMs, formatMs, formatNumber, formatShare } from './format.js';
import { splitFindings } from './open-findings.js';
import { sidecarTotals } from './sidecar-totals.js';
import { renderTerminalCalibration, type Paint } from './terminal-calibration.js';
import { renderTerminalMtls } from './terminal-mtls.js';
import { renderTerminalEbpf } from './terminal-ebpf.js';
import { renderTerminalFindings } from './terminal-findings.js';

export interface TerminalSummaryOptions {
  /**
   * ANSI colours (bold headers, errors in red). Default false: pass `stream.isTTY` of the stream
   * the summary goes to, so a pipe, a file or a CI log gets plain text.
   */
  color?: boolean;
}

const ANSI = { bold: '\u001b[1m', red: '\u001b[31m', green: '\u001b[32m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;

function paint(text: string, style: Exclude<keyof typeof ANSI, 'reset'>, color: boolean): string {
  return color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}

/** "sidecar: the target rate of 4,000/s was NOT sustained (3,600/s sent): <why>". */
function notSustainedLine(topology: TopologySummary): string | undefined {
  const open = topology.open;
  if (open === undefined || open.sustained) return undefined;
  const { fatal } = splitFindings(open);
  return `${topology.topology}: the target rate of ${formatNumber(open.targetRps)}/s was NOT sustained (${formatNumber(open.sentRps)}/s sent). ${fatal.join(' ')}`;
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
    `Δ P50 ms vs ${baseName}\nmedian [CI]`, `Δ P99 ms vs ${baseName}\nmedian [CI]`, 'errors', 'sidecar vCPU\nper 1k RPS', 'sidecar RSS\nMiB',
  ];
  const table = new Table({
    head: head.map((cell) => paint(cell, 'bold', color)),
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const topology of summary.topologies) {
    const isBaseline = baseline !== undefined && topology === baseline;
    const overhead = topology.estimators?.differential;
    const sidecars = sidecarTotals(topology);
    const errors = errorsText(topology);
    const failed = topology.failedTrials > 0 ? ` (${topology.failedTrials} failed)` : '';
    const delta = (estimate: typeof topology.latencyOverTrials.p50Us | undefined) => formatEstimateMs(estimate, { signed: true, unit: false });
    table.push([
      topology.topology + failed,
      formatNumber(topology.rps),
      formatMs(topology.latency.p50Us),
      formatMs(topology.latency.p90Us),
      formatMs(topology.latency.p99Us),
      formatMs(topology.latency.p999Us),
      isBaseline ? paint('baseline', 'dim', color) : delta(overhead?.p50Us),
      isBaseline ? paint('baseline', 'dim', color) : delta(overhead?.p99Us),
      errors === '0' ? errors : paint(errors, 'red', color),
      sidecars.count === 0 ? DASH : formatNumber(sidecars.vcpuPer1kRps, 3),
      sidecars.count === 0 ? DASH : formatNumber(sidecars.rssMaxMiB, 1),
    ]);
  }
  const rateLines = summary.topologies.flatMap((topology) => notSustainedLine(topology) ?? []).map((line) => paint(line, 'red', color));
  const notes = [
    'Latency: all ok trials pooled, in ms (3 decimals = 1 µs).',
    `Δ = per round, the topology's percentile minus ${baseName}'s; median over rounds [confidence interval].`,
    'Sidecar figures: sum over the sidecar containers, mean over ok trials; RSS adds up each sidecar\'s peak (the gate\'s sidecar-rss check takes the largest one sidecar reached).',
  ];
  const painter: Paint = (text, style) => paint(text, style, color);
  const calibration = summary.calibration === undefined ? [] : ['', renderTerminalCalibration(summary.calibration, painter)];
  const mtls = summary.mtls === undefined ? [] : ['', ...renderTerminalMtls(summary.mtls)];
  const ebpf = summary.ebpf === undefined ? [] : ['', ...renderTerminalEbpf(summary.ebpf)];
  // Findings first: a symptom of the seed's matrix is what a reader of a CI log needs before any figure.
  const findings = renderTerminalFindings(summary.findings).map((line, index) => (index === 0 ? paint(line, 'red', color) : line));
  return `${[...findings, ...(findings.length > 0 ? [''] : []), table.toString(), ...rateLines, ...notes.map((note) => paint(note, 'dim', color)), ...calibration, ...mtls, ...ebpf].join('\n')}\n`;
}
