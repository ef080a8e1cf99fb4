/** The HTML report's text sections: header, key figures, tables. Every string from the results is escaped. */
import { LATENCY_STATISTICS } from '../analysis/types.js';
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import { STATISTIC_LABELS, baselineOf } from './chart-data.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatMs, formatNumber, formatShare, formatSignedMs, formatSignedPercent } from './format.js';
import { sidecarTotals } from './sidecar-totals.js';

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function durationText(startedAt: string, finishedAt: string): string {
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

function definitionList(items: [string, string][]): string {
  return `<dl class="facts">${items.map(([term, html]) => `<div><dt>${e(term)}</dt><dd>${html}</dd></div>`).join('')}</dl>`;
}

/** The scenario's description, when the resolved scenario carries one. */
function scenarioDescription(results: Results): string | undefined {
  const description = (results.scenario as Record<string, unknown>)['description'];
  return typeof description === 'string' && description.trim() !== '' ? description : undefined;
}

export function renderHeader(results: Results): string {
  const { run, host } = results;
  const description = scenarioDescription(results);
  const banner =
    run.status === 'complete'
      ? ''
      : `<div class="banner" role="alert"><strong>This run is ${e(run.status.toUpperCase())}.</strong> ` +
        `It did not finish every planned trial: the figures below come from the trials that did, and may be missing topologies or rounds.` +
        (run.error ? ` <br>Reason: ${e(run.error.code ? `${run.error.code}: ` : '')}${e(run.error.message)}` : '') +
        `</div>`;
  const proxies = Object.entries(results.proxyVersions).map(([name, version]) => `${e(name)}: ${e(version)}`).join('<br>') || DASH;
  const images = Object.entries(results.images).map(([name, image]) => `${e(name)}: <code>${e(image.tag)}</code> <code>${e(image.id)}</code>`).join('<br>') || DASH;
  return `<header>
<h1>${e(results.scenario.name)}</h1>
${description === undefined ? '' : `<p class="lead">${e(description)}</p>`}
${banner}
${definitionList([
  ['Run id', `<code>${e(run.id)}</code>`],
  ['Started', e(run.startedAt)],
  ['Finished', `${e(run.finishedAt)} (${e(durationText(run.startedAt, run.finishedAt))})`],
  ['Status', `<span class="status status-${run.status === 'complete' ? 'ok' : 'bad'}">${e(run.status)}</span>`],
  ['Tool', `${e(results.tool.name)} ${e(results.tool.version)}`],
])}
<h2 id="host">Host</h2>
${definitionList([
  ['CPU', e(host.cpuModel)],
  ['Logical cores', e(String(host.logicalCores))],
  ['AES-NI', yesNo(host.aesNi)],
  ['AVX2', yesNo(host.avx2)],
  ['Kernel', e(host.kernel)],
  ['OS', e(host.os)],
  ['Docker', e(host.dockerVersion)],
  ['Node.js', e(host.nodeVersion)],
  ['cgroup', `v${e(String(host.cgroupVersion))}`],
  ['Proxy versions', proxies],
  ['Images', images],
])}
<details><summary>Scenario as run</summary><pre>${e(JSON.stringify(results.scenario, null, 2))}</pre></details>
</header>`;
}

/** One line per topology compared with the baseline: the figures most readers come for. */
export function renderKeyFigures(summary: ResultsSummary): string {
  const baseline = baselineOf(summary);
  const lines = summary.topologies.map((topology) => {
    const totals = sidecarTotals(topology);
    const cost = totals.count === 0 ? 'no sidecar' : `sidecars ${formatNumber(totals.vcpuPer1kRps, 3)} vCPU per 1k RPS, ${formatNumber(totals.rssMaxMiB, 1)} MiB RSS`;
    if (baseline === undefined || topology === baseline || topology.overheadVsBaselineUs === undefined) {
      return `<li><strong>${e(topology.topology)}</strong>${topology === baseline ? ' (baseline)' : ''}: P50 ${formatMs(topology.latency.p50Us)} ms, P99 ${formatMs(topology.latency.p99Us)} ms, ${formatNumber(topology.rps)} RPS; ${cost}.</li>`;
    }
    const overhead = topology.overheadVsBaselineUs;
    return (
      `<li><strong>${e(topology.topology)}</strong>: ${formatSignedMs(overhead.p50Us)} ms at P50 (${formatSignedPercent(overhead.p50Us, baseline.latency.p50Us)}), ` +
      `${formatSignedMs(overhead.p99Us)} ms at P99 (${formatSignedPercent(overhead.p99Us, baseline.latency.p99Us)}) vs ${e(baseline.topology)}; ` +
      `${formatNumber(topology.rps)} RPS (${formatSignedPercent(topology.rps - baseline.rps, baseline.rps)}); ${cost}.</li>`
    );
  });
  return `<ul class="key-figures">${lines.join('')}</ul>`;
}

function overheadCell(topology: TopologySummary, baseline: TopologySummary | undefined, statistic: (typeof LATENCY_STATISTICS)[number]): string {
  if (baseline !== undefined && topology === baseline) return `<td class="num muted">baseline</td>`;
  const overhead = topology.overheadVsBaselineUs?.[statistic];
  if (overhead === undefined) return `<td class="num muted">${DASH}</td>`;
  return `<td class="num">${formatSignedMs(overhead)}<br><span class="muted">${formatSignedPercent(overhead, baseline?.latency[statistic])}</span></td>`;
}

export function renderTopologyTable(summary: ResultsSummary): string {
  const baseline = baselineOf(summary);
  const statistics = LATENCY_STATISTICS.map((statistic) => STATISTIC_LABELS[statistic]);
  const rows = summary.topologies.map((t) => {
    const errors = t.errors.connectionErrors + t.errors.timeouts + t.errors.non2xx;
    return `<tr>
<th scope="row">${e(t.topology)}<br><span class="muted small">${e(t.description)}</span></th>
<td class="num">${t.okTrials}${t.failedTrials > 0 ? ` <span class="bad">+ ${t.failedTrials} failed</span>` : ''}</td>
<td class="num">${formatNumber(t.responses)}</td>
<td class="num">${formatNumber(t.rps)}</td>
${LATENCY_STATISTICS.map((statistic) => `<td class="num">${formatMs(t.latency[statistic])}</td>`).join('')}
<td class="num${errors > 0 ? ' bad' : ''}">${formatNumber(t.errors.connectionErrors)} / ${formatNumber(t.errors.timeouts)} / ${formatNumber(t.errors.non2xx)}</td>
<td class="num${errors > 0 ? ' bad' : ''}">${formatShare(t.errors.errorRate)}</td>
${LATENCY_STATISTICS.map((statistic) => overheadCell(t, baseline, statistic)).join('')}
</tr>`;
  });
  return `<div class="table-wrap"><table class="data">
<thead>
<tr><th rowspan="2" scope="col">topology</th><th rowspan="2" scope="col">ok trials</th><th rowspan="2" scope="col">responses</th><th rowspan="2" scope="col">RPS</th>
<th colspan="5" scope="colgroup">latency (ms)</th><th rowspan="2" scope="col">errors<br><span class="small">conn / timeout / non-2xx</span></th><th rowspan="2" scope="col">error rate</th>
<th colspan="5" scope="colgroup">overhead vs ${e(baseline?.topology ?? 'baseline')} (ms; % of baseline)</th></tr>
<tr>${statistics.map((s) => `<th scope="col">${s}</th>`).join('')}${statistics.map((s) => `<th scope="col">${s}</th>`).join('')}</tr>
</thead>
<tbody>${rows.join('')}</tbody>
</table></div>`;
}

export function renderPerRequestTable(summary: ResultsSummary): string {
  const rows = summary.topologies.map((t) => {
    const p = t.perRequest;
    return `<tr><th scope="row">${e(t.topology)}</th>
<td class="num">${formatShare(p.upstreamHeaderShare)}</td><td class="num">${formatShare(p.appHeaderShare)}</td>
<td class="num">${formatMs(p.proxyOverheadUs?.p50Us)}</td><td class="num">${formatMs(p.proxyOverheadUs?.p99Us)}</td>
<td class="num">${formatMs(p.networkAndProxiesUs?.p50Us)}</td><td class="num">${formatMs(p.networkAndProxiesUs?.p99Us)}</td>
<td class="num">${formatMs(p.appServiceTimeUs?.p50Us)}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="data">
<thead><tr><th rowspan="2" scope="col">topology</th><th colspan="2" scope="colgroup">responses with header</th>
<th colspan="2" scope="colgroup">total − upstream time (ms, 1 ms resolution)</th><th colspan="2" scope="colgroup">total − app time (ms, µs resolution)</th><th rowspan="2" scope="col">app time P50 (ms)</th></tr>
<tr><th scope="col">upstream</th><th scope="col">app</th><th scope="col">P50</th><th scope="col">P99</th><th scope="col">P50</th><th scope="col">P99</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

/** Failed trials and error messages, when there are any. */
export function renderProblems(summary: ResultsSummary): string {
  const items = summary.topologies.flatMap((t) => [
    ...t.failures.map((failure) => `<li><strong>${e(t.topology)}</strong>: trial failed: ${e(failure)}</li>`),
    ...t.errors.messages.map((message) => `<li><strong>${e(t.topology)}</strong>: ${e(message)}</li>`),
  ]);
  if (items.length === 0) return '';
  return `<section id="problems"><h2>Failures and errors</h2><ul class="problems">${items.join('')}</ul></section>`;
}
