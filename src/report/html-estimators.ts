/**
 * "Three estimators, side by side": per topology, the overhead over the baseline by the
 * differential, per-request header and per-request app-µs estimators, each a median over rounds
 * with its confidence interval; then the pooled per-request figures they are made from.
 */
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';
import { PERCENTILE_STATISTICS, STATISTIC_LABELS, baselineOf } from './chart-data.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatMs, formatShare } from './format.js';
import { estimateCell } from './html-estimate.js';
import { ESTIMATOR_LABELS, ESTIMATOR_ORDER, type EstimatorName, type OverheadEstimators } from './summary-types.js';

const MISSING: Record<EstimatorName, string> = {
  differential: 'no paired rounds',
  perRequestHeader: 'no response carried x-envoy-upstream-service-time',
  perRequestAppUs: 'x-app-service-time-us missing here or in the baseline',
};

export function estimatorsExplanation(baseline: string): string {
  return `<p>The <strong>differential</strong> estimator takes each round's percentile of the client latency minus ${e(baseline)}'s in the same round:
it sees everything the topology adds (both proxies, the extra network hop, queueing) at µs resolution.
The <strong>per-request header</strong> estimator is client latency − <code>x-envoy-upstream-service-time</code> per request: it sees only the proxy
nearest the client (in <em>sidecar</em> the outbound one, whose upstream time includes the server sidecar), and the header has whole-ms resolution,
so with sub-ms requests the upstream time reads 0 ms and the estimate reads close to the whole latency (without a proxy in ${e(baseline)} it is not a
difference but the topology's own figure).
The <strong>per-request app-µs</strong> estimator is client latency − <code>x-app-service-time-us</code>, minus ${e(baseline)}'s: it excludes the app's
own time and sees the network and every proxy at µs resolution, so it should agree with the differential when the app's time does not change.
Where they disagree, the gap is what one sees and the other does not: queueing before the send, the app's own time, or the header's rounding.</p>`;
}

/** Where the differential and app-µs intervals do not overlap: one sentence per direction. */
function disagreements(estimators: OverheadEstimators): string[] {
  const app = estimators.perRequestAppUs;
  if (app === undefined) return [];
  const above: string[] = [];
  const below: string[] = [];
  for (const statistic of PERCENTILE_STATISTICS) {
    const differential = estimators.differential[statistic];
    const appUs = app[statistic];
    if (differential.n < 2 || appUs.n < 2) continue;
    if (differential.low > appUs.high) above.push(STATISTIC_LABELS[statistic]);
    if (differential.high < appUs.low) below.push(STATISTIC_LABELS[statistic]);
  }
  return [
    ...(above.length === 0 ? [] : [`At ${above.join(', ')} the differential is above the app-µs estimate and their intervals do not overlap: the gap is time the app-µs estimator does not see, such as waiting before the request was sent (open model) or more time in the app.`]),
    ...(below.length === 0 ? [] : [`At ${below.join(', ')} the differential is below the app-µs estimate and their intervals do not overlap: the app spent less time than in the baseline.`]),
  ];
}

/**
 * Why an estimator has no figure for this arm. WebSocket and TCP messages pass the proxies as bytes:
 * no proxy can stamp its upstream time on them, so that estimator cannot exist (not "zero").
 */
export function missingEstimatorReason(name: EstimatorName, protocol: string | undefined): string {
  if (name === 'perRequestHeader' && (protocol === 'websocket' || protocol === 'tcp')) {
    return `cannot exist for ${protocol}: its messages pass the proxies as bytes, so no proxy can add x-envoy-upstream-service-time to them (the app's µs time travels in-band)`;
  }
  return MISSING[name];
}

function estimatorsTable(topology: TopologySummary, estimators: OverheadEstimators): string {
  const rows = ESTIMATOR_ORDER.map((name) => {
    const byStatistic = estimators[name];
    const cells =
      byStatistic === undefined
        ? `<td class="muted" colspan="${PERCENTILE_STATISTICS.length}">${DASH} ${e(missingEstimatorReason(name, topology.protocol))}</td>`
        : PERCENTILE_STATISTICS.map((statistic) => estimateCell(byStatistic[statistic], { signed: true })).join('');
    return `<tr><th scope="row">${e(ESTIMATOR_LABELS[name])}</th>${cells}</tr>`;
  });
  const notes = disagreements(estimators).map((sentence) => `<p class="note">${e(sentence)}</p>`).join('');
  const over = topology.protocol || topology.baseline ? ` <span class="muted">(${e([topology.protocol, topology.baseline ? `over ${topology.baseline}` : undefined].filter(Boolean).join(', '))})</span>` : '';
  return `<h3>${e(topology.topology)}${over}</h3>
<div class="table-wrap"><table class="data estimators" id="estimators-${e(topology.topology)}">
<thead><tr><th scope="col">estimator (ms, median over rounds [CI])</th>${PERCENTILE_STATISTICS.map((s) => `<th scope="col">${STATISTIC_LABELS[s]}</th>`).join('')}</tr></thead>
<tbody>${rows.join('')}</tbody></table></div>${notes}`;
}

/** The pooled per-request figures: how many responses carried each header, and what it read. */
export function renderPerRequestTable(summary: ResultsSummary): string {
  const rows = summary.topologies.map((t) => {
    const p = t.perRequest;
    return `<tr><th scope="row">${e(t.topology)}</th>
<td class="num">${e(formatShare(p.upstreamHeaderShare))}</td><td class="num">${e(formatShare(p.appHeaderShare))}</td>
<td class="num">${formatMs(p.proxyOverheadUs?.p50Us)}</td><td class="num">${formatMs(p.proxyOverheadUs?.p99Us)}</td>
<td class="num">${formatMs(p.networkAndProxiesUs?.p50Us)}</td><td class="num">${formatMs(p.networkAndProxiesUs?.p99Us)}</td>
<td class="num">${formatMs(p.appServiceTimeUs?.p50Us)}</td></tr>`;
  });
  return `<h3>Per-request figures, all trials pooled</h3>
<div class="table-wrap"><table class="data" id="per-request">
<thead><tr><th rowspan="2" scope="col">topology</th><th colspan="2" scope="colgroup">responses with header</th>
<th colspan="2" scope="colgroup">total − upstream time (ms, 1 ms resolution)</th><th colspan="2" scope="colgroup">total − app time (ms, µs resolution)</th><th rowspan="2" scope="col">app time P50 (ms)</th></tr>
<tr><th scope="col">upstream</th><th scope="col">app</th><th scope="col">P50</th><th scope="col">P99</th><th scope="col">P50</th><th scope="col">P99</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

/** The section's text and tables (the chart is added by the page). */
export function renderEstimators(summary: ResultsSummary): string {
  const baseline = baselineOf(summary);
  const compared = summary.topologies.filter((t) => t !== baseline && t.estimators !== undefined);
  const tables =
    baseline === undefined || compared.length === 0
      ? '<p class="note">No baseline topology with ok trials in this run: no overhead to estimate.</p>'
      : `${estimatorsExplanation(baseline.topology)}
${compared.map((t) => estimatorsTable(t, t.estimators as OverheadEstimators)).join('\n')}
<p class="note ci-method">${e(summary.ciMethod)}</p>`;
  return `${tables}\n${renderPerRequestTable(summary)}`;
}
