/**
 * The open model in the report: a red banner per topology that did not sustain its target rate,
 * amber notes for schedules kept but late, and a section with the schedule's figures and the
 * latency measured from the scheduled send beside the latency from the actual send.
 */
import { sentShortOfSchedule } from '../analysis/open-model.js';
import { LATENCY_STATISTICS, type ResultsSummary, type TopologySummary } from '../analysis/types.js';
import type { LatencySummaryUs } from '../hdr/histogram.js';
import { STATISTIC_LABELS } from './chart-data.js';
import { escapeHtml as e } from './escape.js';
import { formatMs, formatNumber, formatShare } from './format.js';
import { splitFindings } from './open-findings.js';
import type { OpenModelSummary } from './summary-types.js';

export const CORRECTED_LABEL = 'from the scheduled send (corrected)';
export const UNCORRECTED_LABEL = 'from the actual send (uncorrected, what a closed-loop tool reports)';

const withOpen = (summary: ResultsSummary) =>
  summary.topologies.filter((topology): topology is TopologySummary & { open: OpenModelSummary } => topology.open !== undefined);

/** Near the top of the page: a red banner per topology that did not keep its schedule, amber notes for the rest. */
export function renderOpenModelAlerts(summary: ResultsSummary): string {
  const topologies = withOpen(summary);
  const banners = topologies
    .filter(({ open }) => !open.sustained)
    .map(
      ({ topology, open }) =>
        `<div class="banner" role="alert"><strong>${e(topology)}: the target rate was NOT sustained.</strong> ${splitFindings(open).fatal.map(e).join(' ')} ` +
        `Its latency and overhead describe an overloaded system at ${formatNumber(open.sentRps)}/s, not the planned ${formatNumber(open.targetRps)}/s.</div>`,
    );
  const notes = topologies.flatMap(({ topology, open }) =>
    splitFindings(open).notes.map((note) => `<div class="notice" role="note"><strong>${e(topology)}:</strong> ${e(note)}</div>`),
  );
  return [...banners, ...notes].join('\n');
}

function latencyCells(latency: LatencySummaryUs): string {
  return LATENCY_STATISTICS.map((statistic) => `<td class="num">${formatMs(latency[statistic])}</td>`).join('');
}

/** The schedule and both latencies, when any topology ran under the open model. */
export function renderOpenModelSection(summary: ResultsSummary): string {
  const topologies = withOpen(summary);
  if (topologies.length === 0) return '';
  const schedule = topologies.map(({ topology, open }) => {
    const share = (count: number, of: number) => `${formatNumber(count)}<br><span class="muted">${e(formatShare(of > 0 ? count / of : 0))}</span>`;
    return `<tr><th scope="row">${e(topology)}</th>
<td class="num">${formatNumber(open.targetRps)}</td><td class="num${sentShortOfSchedule(open.sent, open.scheduled) ? ' bad' : ''}">${formatNumber(open.sentRps)}</td>
<td class="num${open.unsent > 0 ? ' bad' : ''}">${share(open.unsent, open.scheduled)}</td><td class="num">${share(open.waitedForConnection, open.sent)}</td>
<td class="num">${formatMs(open.sendLag.p50Us)}</td><td class="num">${formatMs(open.sendLag.p99Us)}</td><td class="num">${formatMs(open.sendLag.maxUs)}</td>
<td>${open.sustained ? '<span class="verdict pass">yes</span>' : '<span class="verdict fail">NO</span>'}</td></tr>`;
  });
  const latency = topologies.map(
    ({ topology, latency: corrected, open }) => `<tr class="group-start"><th scope="rowgroup" rowspan="2">${e(topology)}</th><td>${e(CORRECTED_LABEL)}</td>${latencyCells(corrected)}</tr>
<tr><td class="muted">${e(UNCORRECTED_LABEL)}</td>${latencyCells(open.uncorrectedLatency)}</tr>`,
  );
  return `<section id="open-model"><h2>Open model: was the schedule kept?</h2>
<p>Requests were scheduled at a fixed rate, whatever the system under test did. A request that could not leave on time (every connection
busy, or the load generator behind) waits, and its latency counts from the moment it was <em>scheduled</em>: that is the latency a user
arriving at that moment would have seen. Counting from the actual send instead hides the wait (coordinated omission).</p>
<div class="table-wrap"><table class="data" id="open-schedule">
<thead><tr><th rowspan="2" scope="col">topology</th><th rowspan="2" scope="col">target rate (/s)</th><th rowspan="2" scope="col">sent rate (/s)</th>
<th rowspan="2" scope="col">unsent<br><span class="small">of scheduled</span></th><th rowspan="2" scope="col">waited for a connection<br><span class="small">of sent</span></th>
<th colspan="3" scope="colgroup">send lag (ms)</th><th rowspan="2" scope="col">rate sustained</th></tr>
<tr><th scope="col">P50</th><th scope="col">P99</th><th scope="col">max</th></tr></thead>
<tbody>${schedule.join('')}</tbody></table></div>
<h3>Latency, corrected and uncorrected</h3>
<div class="table-wrap"><table class="data" id="open-latency">
<thead><tr><th scope="col">topology</th><th scope="col">latency measured</th>${LATENCY_STATISTICS.map((s) => `<th scope="col">${STATISTIC_LABELS[s]} (ms)</th>`).join('')}</tr></thead>
<tbody>${latency.join('')}</tbody></table></div>
<p class="note">All ok trials pooled. Every other latency in this report is measured ${e(CORRECTED_LABEL)}. The per-request estimators subtract the
response headers from the latency ${e('from the actual send')}, since the headers describe the request once it was sent.</p>
</section>`;
}
