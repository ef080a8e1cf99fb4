/**
 * The HTML report: one self-contained page that opens offline. vega, vega-lite and vega-embed are
 * inlined from node_modules, the chart specs travel as JSON in the page, and the charts are drawn
 * in the browser. A Content-Security-Policy forbids every fetch, so a regression cannot go unseen.
 */
import type { ResultsSummary } from '../analysis/types.js';
import { describeRounds, type GateResult } from '../gate/index.js';
import { renderGate, renderGateChecks } from './html-gate.js';
import { renderMtls } from './html-mtls.js';
import { renderEbpf } from './html-ebpf.js';
import { renderFindings } from './html-findings.js';
import { renderCapacity } from './html-capacity.js';
import type { Results } from '../results/schema.js';
import { buildReportCharts, type ReportChart } from './charts.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { renderCalibration } from './html-calibration.js';
import { renderEstimators } from './html-estimators.js';
import { renderHeader, renderRunDetails } from './html-header.js';
import { renderAnswer } from './html-answer.js';
import { renderOpenModelAlerts, renderOpenModelSection } from './html-open-model.js';
import { renderHowToRead, renderResourceTable } from './html-resources.js';
import { renderKeyFigures, renderLatencyOverTrialsTable, renderOverheadTable, renderProblems, renderTopologyTable } from './html-sections.js';
import { REPORT_CSS } from './html-style.js';
import { loadVegaAssets, type VegaAsset } from './vega-assets.js';

/** Id of the <script type="application/json"> element holding `{ charts: [{ id, spec }] }`. */
export const REPORT_DATA_ELEMENT_ID = 'report-data';
/** Class of every chart container; its id is `chart-<ReportChart.id>`. */
export const CHART_CONTAINER_CLASS = 'vega-chart';

/**
 * Vega compiles expressions with `Function`, hence 'unsafe-eval'; everything else is inline, and
 * nothing may be fetched (connect, img except data:, font, frame, media all fall back to 'none').
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Draws every chart of the data block; a chart that fails shows why, in place, and logs it. */
const RENDER_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('${REPORT_DATA_ELEMENT_ID}').textContent);
  var pending = data.charts.map(function (chart) {
    var element = document.getElementById('chart-' + chart.id);
    return vegaEmbed(element, chart.spec, { mode: 'vega-lite', actions: false, renderer: 'svg' }).then(
      function () { element.setAttribute('data-rendered', 'true'); },
      function (error) {
        element.classList.add('chart-error');
        element.textContent = 'This chart could not be drawn: ' + (error && error.message ? error.message : String(error));
        console.error(error);
      }
    );
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts-done', String(pending.length)); });
})();`;

function chartFigure(chart: ReportChart): string {
  return `<figure class="chart">
<h3>${e(chart.title)}</h3>
<div class="${CHART_CONTAINER_CLASS}" id="chart-${e(chart.id)}" role="img" aria-label="${e(chart.title)}"></div>
<figcaption>${e(chart.caption)}</figcaption>
</figure>`;
}

function chartSection(charts: ReportChart[], ids: ReportChart['id'][]): string {
  const selected = charts.filter((chart) => ids.includes(chart.id));
  if (selected.length === 0) return '<p class="note">No data for these charts in this run.</p>';
  return selected.map(chartFigure).join('\n');
}

function inlineScripts(assets: VegaAsset[]): string {
  return assets.map((asset) => `<script data-library="${e(asset.name)}@${e(asset.version)}">\n${asset.code}</script>`).join('\n');
}

/**
 * Renders the report page for a results.json and its analysis summary. Reads the vega browser
 * builds from node_modules (about 830 KB, inlined).
 */
/** The report page; `gate`, when given: its verdict first, its table of checks after the answer. */
export async function renderHtmlReport(results: Results, summary: ResultsSummary, gate?: GateResult): Promise<string> {
  const assets = await loadVegaAssets();
  const charts = buildReportCharts(summary);
  const data = { charts: charts.map((chart) => ({ id: chart.id, spec: chart.spec })) };
  const title = `${results.scenario.name} — sidecar-bench report`;
  const statusTitle = results.run.status === 'complete' ? '' : ` [${results.run.status}]`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(results.tool.name)} ${e(results.tool.version)}">
<title>${e(title + statusTitle)}</title>
<link rel="icon" href="data:,">
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<noscript><p class="banner">The charts need JavaScript; the tables do not.</p></noscript>
${renderHeader(results)}
${renderGate(gate, gate ? describeRounds(results) : undefined)}
${renderFindings(summary)}
${renderCalibration(results, summary)}
<section id="key-figures"><h2>The answer</h2>${renderAnswer(results, summary)}${renderOpenModelAlerts(summary)}${renderKeyFigures(summary)}</section>
${renderGateChecks(gate)}
${renderRunDetails(results)}
${renderMtls(summary.mtls)}
${renderEbpf(summary.ebpf)}
${renderCapacity(summary.capacity, chartSection(charts, ['capacity-latency', 'capacity-cpu', 'capacity-memory']))}
${renderProblems(summary)}
<section id="latency"><h2>Latency and throughput</h2>
${renderTopologyTable(summary)}
${renderLatencyOverTrialsTable(summary)}
${renderOverheadTable(summary)}
${chartSection(charts, ['latency-percentiles', 'overhead-vs-baseline'])}
</section>
${renderOpenModelSection(summary)}
<section id="estimators"><h2>Three estimators, side by side</h2>
${renderEstimators(summary)}
${chartSection(charts, ['overhead-estimators'])}
</section>
<section id="resources"><h2>Resources</h2>
${renderResourceTable(summary)}
${chartSection(charts, ['cpu-over-time', 'ctx-switches-over-time', 'resource-efficiency', 'rss'])}
</section>
${renderHowToRead(summary)}
<footer>Made by ${e(results.tool.name)} ${e(results.tool.version)} from results.json (run <code>${e(results.run.id)}</code>).
Charts drawn in the page by ${assets.map((asset) => `${e(asset.name)} ${e(asset.version)}`).join(', ')}, inlined.</footer>
</main>
<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${jsonForScript(data)}</script>
${inlineScripts(assets)}
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}
