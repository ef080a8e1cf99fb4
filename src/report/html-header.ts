/** The report's header: the run, its status (a banner when it did not complete), the host and the scenario. */
import { describeStalls } from '../host/stall-probe.js';
import type { Results } from '../results/schema.js';
import { escapeHtml as e } from './escape.js';
import { DASH } from './format.js';

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
  const { run } = results;
  const description = scenarioDescription(results);
  const banner =
    run.status === 'complete'
      ? ''
      : `<div class="banner" role="alert"><strong>This run is ${e(run.status.toUpperCase())}.</strong> ` +
        `It did not finish every planned trial: the figures below come from the trials that did, and may be missing topologies or rounds.` +
        (run.error ? ` <br>Reason: ${e(run.error.code ? `${run.error.code}: ` : '')}${e(run.error.message)}` : '') +
        `</div>`;
  return `<header>
<h1>${e(results.scenario.name)}</h1>
${description === undefined ? '' : `<p class="lead">${e(description)}</p>`}
${banner}
</header>`;
}

/**
 * The run, the host and the images, folded: a reader comes for the verdict and the answer, which
 * come first; these say where and with what the figures were made (compare runs of the same host).
 */
export function renderRunDetails(results: Results): string {
  const { run, host } = results;
  const proxies = Object.entries(results.proxyVersions).map(([name, version]) => `${e(name)}: ${e(version)}`).join('<br>') || DASH;
  const images = Object.entries(results.images).map(([name, image]) => `${e(name)}: <code>${e(image.tag)}</code> <code>${e(image.id)}</code>`).join('<br>') || DASH;
  return `<details id="run-details"><summary>Run, host and images (${e(host.cpuModel)}, ${host.logicalCores} cores, ${e(durationText(run.startedAt, run.finishedAt))})</summary>
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
  ['Machine stalls', host.stalls ? `${e(describeStalls(host.stalls))} <span class="muted small">(probed ${host.stalls.probeMs / 1000} s per CPU before the trials; gaps ≥ ${host.stalls.thresholdUs / 1000} ms)</span>` : 'not probed'],
  ['Proxy versions', proxies],
  ['Images', images],
])}
<details><summary>Scenario as run</summary><pre>${e(JSON.stringify(results.scenario, null, 2))}</pre></details>
</details>`;
}
