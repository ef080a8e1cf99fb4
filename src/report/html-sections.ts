/**
 * The HTML report's key figures and latency tables. Every string from the results is escaped.
 * Overheads are the differential estimator: per round, the topology's percentile minus the
 * baseline's; the median over rounds with its confidence interval.
 */
import { LATENCY_STATISTICS, type LatencyStatistic, type ResultsSummary, type TopologySummary } from '../analysis/types.js';
import { STATISTIC_LABELS, baselineOf } from './chart-data.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatEstimateMs, formatMs, formatNumber, formatShare, formatSignedPercent } from './format.js';
import { estimateCell } from './html-estimate.js';
import { sidecarTotals } from './sidecar-totals.js';
import type { MedianEstimate } from './summary-types.js';

/** The differential overhead at one statistic, with its interval: "+0.605 ms [+0.52, +0.70]". */
function overheadAt(topology: TopologySummary, statistic: LatencyStatistic): MedianEstimate | undefined {
  const estimate = topology.estimators?.differential[statistic];
  return estimate === undefined || estimate.n === 0 ? undefined : estimate;
}

/** The overhead as a share of the baseline's figure (both medians over trials). */
function percentOfBaseline(estimate: MedianEstimate, baseline: TopologySummary, statistic: LatencyStatistic): string {
  return formatSignedPercent(estimate.median, baseline.latencyOverTrials[statistic].median);
}

function notSustained(topology: TopologySummary): string {
  return topology.open !== undefined && !topology.open.sustained ? ' <span class="bad">(target rate NOT sustained)</span>' : '';
}

/** One line per topology compared with the baseline: the figures most readers come for. */
export function renderKeyFigures(summary: ResultsSummary): string {
  const baseline = baselineOf(summary);
  const lines = summary.topologies.map((topology) => {
    const totals = sidecarTotals(topology);
    const cost = totals.count === 0 ? 'no sidecar' : `sidecars ${formatNumber(totals.vcpuPer1kRps, 3)} vCPU per 1k RPS, ${formatNumber(totals.rssMaxMiB, 1)} MiB RSS`;
    const p50 = overheadAt(topology, 'p50Us');
    const p99 = overheadAt(topology, 'p99Us');
    if (baseline === undefined || topology === baseline || p50 === undefined || p99 === undefined) {
      return `<li><strong>${e(topology.topology)}</strong>${topology === baseline ? ' (baseline)' : ''}${notSustained(topology)}: P50 ${formatMs(topology.latency.p50Us)} ms, P99 ${formatMs(topology.latency.p99Us)} ms, ${formatNumber(topology.rps)} RPS; ${cost}.</li>`;
    }
    return (
      `<li><strong>${e(topology.topology)}</strong>${notSustained(topology)}: ` +
      `${e(formatEstimateMs(p50, { signed: true }))} at P50 (${percentOfBaseline(p50, baseline, 'p50Us')}), ` +
      `${e(formatEstimateMs(p99, { signed: true }))} at P99 (${percentOfBaseline(p99, baseline, 'p99Us')}) vs ${e(baseline.topology)}; ` +
      `${formatNumber(topology.rps)} RPS (${formatSignedPercent(topology.rps - baseline.rps, baseline.rps)}); ${cost}.</li>`
    );
  });
  const note = baseline === undefined ? '' : `<p class="note">Overheads: median over rounds of the per-round difference from ${e(baseline.topology)}, [confidence interval].</p>`;
  return `<ul class="key-figures">${lines.join('')}</ul>${note}`;
}

const statisticHeaders = () => LATENCY_STATISTICS.map((statistic) => `<th scope="col">${STATISTIC_LABELS[statistic]}</th>`).join('');

/** Throughput, errors and the latency percentiles of all ok trials pooled. */
export function renderTopologyTable(summary: ResultsSummary): string {
  const rows = summary.topologies.map((t) => {
    const errors = t.errors.connectionErrors + t.errors.timeouts + t.errors.non2xx;
    return `<tr>
<th scope="row">${e(t.topology)}<br><span class="muted small">${e(t.description)}</span></th>
<td class="num">${t.okTrials}${t.failedTrials > 0 ? ` <span class="bad">+ ${t.failedTrials} failed</span>` : ''}</td>
<td class="num">${formatNumber(t.responses)}</td>
<td class="num">${formatNumber(t.rps)}</td>
${LATENCY_STATISTICS.map((statistic) => `<td class="num">${formatMs(t.latency[statistic])}</td>`).join('')}
<td class="num${errors > 0 ? ' bad' : ''}">${formatNumber(t.errors.connectionErrors)} / ${formatNumber(t.errors.timeouts)} / ${formatNumber(t.errors.non2xx)}</td>
<td class="num${errors > 0 ? ' bad' : ''}">${e(formatShare(t.errors.errorRate))}</td>
</tr>`;
  });
  return `<div class="table-wrap"><table class="data" id="latency-pooled">
<thead>
<tr><th rowspan="2" scope="col">topology</th><th rowspan="2" scope="col">ok trials</th><th rowspan="2" scope="col">responses</th><th rowspan="2" scope="col">RPS</th>
<th colspan="5" scope="colgroup">latency, all ok trials pooled (ms)</th><th rowspan="2" scope="col">errors<br><span class="small">conn / timeout / non-2xx</span></th><th rowspan="2" scope="col">error rate</th></tr>
<tr>${statisticHeaders()}</tr>
</thead>
<tbody>${rows.join('')}</tbody>
</table></div>`;
}

/** Each trial's percentile from its own histogram, median over trials [confidence interval]. */
export function renderLatencyOverTrialsTable(summary: ResultsSummary): string {
  const rows = summary.topologies.map(
    (t) => `<tr><th scope="row">${e(t.topology)}</th><td class="num">${t.latencyOverTrials.p50Us.n}</td>
${LATENCY_STATISTICS.map((statistic) => estimateCell(t.latencyOverTrials[statistic])).join('')}</tr>`,
  );
  return `<h3>Per-trial median [CI]</h3>
<div class="table-wrap"><table class="data" id="latency-over-trials">
<thead><tr><th rowspan="2" scope="col">topology</th><th rowspan="2" scope="col">trials</th><th colspan="5" scope="colgroup">latency: each trial's percentile, median over trials [CI] (ms)</th></tr>
<tr>${statisticHeaders()}</tr></thead>
<tbody>${rows.join('')}</tbody></table></div>
<p class="note">The pooled table above merges every request of every trial; this one treats each trial as one measurement, so its interval shows how much the figure moves from trial to trial.</p>`;
}

/** The differential overhead of each topology over the baseline, median over rounds [CI], and % of the baseline. */
export function renderOverheadTable(summary: ResultsSummary): string {
  const baseline = baselineOf(summary);
  if (baseline === undefined) return '<p class="note">No baseline topology in this run: no overhead to show.</p>';
  const others = summary.topologies.filter((t) => t !== baseline && t.estimators !== undefined);
  if (others.length === 0) return '';
  const cell = (t: TopologySummary, statistic: LatencyStatistic) => {
    const estimate = overheadAt(t, statistic);
    if (estimate === undefined) return `<td class="num muted">${DASH}</td>`;
    return estimateCell(estimate, { signed: true }, `<br><span class="muted">${percentOfBaseline(estimate, baseline, statistic)}</span>`);
  };
  const rows = others.map(
    (t) => `<tr><th scope="row">${e(t.topology)}${notSustained(t)}</th><td class="num">${t.estimators?.differential.p50Us.n ?? 0}</td>
${LATENCY_STATISTICS.map((statistic) => cell(t, statistic)).join('')}</tr>`,
  );
  return `<h3>Overhead vs ${e(baseline.topology)}</h3>
<div class="table-wrap"><table class="data" id="overhead">
<thead><tr><th rowspan="2" scope="col">topology</th><th rowspan="2" scope="col">paired rounds</th>
<th colspan="5" scope="colgroup">overhead vs ${e(baseline.topology)}: per-round difference, median over rounds [CI] (ms; % of ${e(baseline.topology)})</th></tr>
<tr>${statisticHeaders()}</tr></thead>
<tbody>${rows.join('')}</tbody></table></div>
<p class="note">${e(summary.ciMethod)}</p>`;
}

/** Failed trials and error messages, when there are any. */
export function renderProblems(summary: ResultsSummary): string {
  const items = summary.topologies.flatMap((t) => [
    ...t.failures.map((failure) => `<li><strong>${e(t.topology)}</strong>: trial failed: ${e(failure)}</li>`),
    ...t.latencyProblems.map((problem) => `<li><strong>${e(t.topology)}</strong>: latency not meaningful in ${e(problem)} (latency and overhead gates on it fail)</li>`),
    ...(t.latenciesAboveRange > 0 ? [`<li><strong>${e(t.topology)}</strong>: ${t.latenciesAboveRange} latencies beyond the histogram's 60 s range, recorded at 60 s (a percentile at 60 s means "at least")</li>`] : []),
    ...t.errors.messages.map((message) => `<li><strong>${e(t.topology)}</strong>: ${e(message)}</li>`),
  ]);
  if (items.length === 0) return '';
  return `<section id="problems"><h2>Failures and errors</h2><ul class="problems">${items.join('')}</ul></section>`;
}
