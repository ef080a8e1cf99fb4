/**
 * The report's first screen after the verdict: the answer. Per topology, the overhead at the rate
 * (P50, P99 with their intervals), the throughput at saturation and its drop, and what the
 * sidecars cost (vCPU per 1k req/s, MiB); then how the figures were made, in one line.
 */
import type { ResultsSummary, TopologySummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import { describeWakeUp, wakeUpPenaltyUs } from '../host/wake-probe.js';
import { baselineOf } from './chart-data.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatCoverage, formatEstimateMs, formatNumber } from './format.js';
import { DEFAULT_CONFIDENCE } from '../analysis/statistics.js';
import { estimateCell } from './html-estimate.js';
import { sidecarTotals } from './sidecar-totals.js';
import type { MedianEstimate } from './summary-types.js';

interface LoadFacts {
  model?: string;
  ratePerSecond?: number;
  connections?: number;
  durationUs?: number;
  /** Absent: HTTP/1.1 (and every results.json written before load.protocol existed). */
  protocol?: string;
  streamsPerConnection?: number;
}

const PROTOCOL_NAMES: Record<string, string> = { http1: 'HTTP/1.1', http2: 'HTTP/2 (h2c)', grpc: 'gRPC unary' };

/** "over HTTP/2 (h2c), 64 streams per connection", or "over HTTP/1.1". */
export function protocolPhrase(load: { protocol?: string; streamsPerConnection?: number }): string {
  const name = PROTOCOL_NAMES[load.protocol ?? 'http1'] ?? load.protocol ?? 'HTTP/1.1';
  const streams = load.streamsPerConnection && load.streamsPerConnection > 1 ? `, ${formatNumber(load.streamsPerConnection)} streams per connection` : '';
  return `over ${name}${streams}`;
}

/** The resolved scenario's load and rounds, as results.json keeps them (a loose object for readers). */
function runFacts(results: Results): { load: LoadFacts; trials?: number; warmupRounds?: number } {
  const scenario = results.scenario as Record<string, unknown>;
  const load = (scenario['load'] ?? {}) as LoadFacts;
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  // Adaptive rounds: the rounds the run took, not the minimum the scenario's trials hold.
  const trials = results.rounds?.used ?? number(scenario['trials']);
  const warmupRounds = number(scenario['warmupRounds']);
  return { load, ...(trials !== undefined ? { trials } : {}), ...(warmupRounds !== undefined ? { warmupRounds } : {}) };
}

const percentText = (estimate: MedianEstimate | undefined) =>
  estimate === undefined || estimate.n === 0 ? '' : ` (${estimate.median >= 0 ? '−' : '+'}${Math.abs(estimate.median * 100).toFixed(1)} %)`;

function saturationCell(topology: TopologySummary, isBaseline: boolean): string {
  const saturation = topology.saturation;
  if (!saturation) return `<td class="num muted">${DASH}</td>`;
  const drop = isBaseline ? ' <span class="muted">(reference)</span>' : `<span class="muted">${e(percentText(saturation.dropVsBaseline))}</span>`;
  return `<td class="num">${formatNumber(saturation.rps.median)}${drop}</td>`;
}

/**
 * Sidecar vCPU per 1k req/s: median over trials [interval], bounds rounded outward to 0.001, the
 * coverage under it when below 95 %; the mean over trials when there are too few for an interval.
 */
export function vcpuCell(overTrials: MedianEstimate, mean: number): string {
  if (overTrials.n < 2) return `<td class="num">${formatNumber(mean, 3)}</td>`;
  const low = (Math.floor(overTrials.low * 1000) / 1000).toFixed(3);
  const high = (Math.ceil(overTrials.high * 1000) / 1000).toFixed(3);
  const caveat = overTrials.coverage < DEFAULT_CONFIDENCE - 1e-9 ? `<br><span class="caveat">${e(formatCoverage(overTrials.coverage))} CI</span>` : '';
  return `<td class="num">${overTrials.median.toFixed(3)} [${low}, ${high}]${caveat}</td>`;
}

function answerRow(topology: TopologySummary, baseline: TopologySummary | undefined, protocolBaselines: ReadonlySet<string>): string {
  // The run's baseline, or the app-only arm another protocol's arms are measured against.
  const isBaseline = topology === baseline || protocolBaselines.has(topology.topology);
  const totals = sidecarTotals(topology);
  const overhead = (statistic: 'p50Us' | 'p99Us') =>
    isBaseline ? `<td class="num muted">baseline</td>` : estimateCell(topology.estimators?.differential[statistic], { signed: true });
  const flagged = topology.latencyProblems.length > 0 || (topology.open !== undefined && !topology.open.sustained);
  const speaks = topology.protocol || topology.baseline ? ` <span class="muted">(${e([topology.protocol, topology.baseline ? `over ${topology.baseline}` : undefined].filter(Boolean).join(', '))})</span>` : '';
  return `<tr><th scope="row">${e(topology.topology)}${speaks}${flagged ? ' <span class="bad">(latency not meaningful: see below)</span>' : ''}</th>
${overhead('p50Us')}${overhead('p99Us')}
${saturationCell(topology, isBaseline)}
${totals.count === 0 ? `<td class="num">${DASH}</td>` : vcpuCell(totals.vcpuPer1kRpsOverTrials, totals.vcpuPer1kRps)}
<td class="num">${totals.count === 0 ? DASH : formatNumber(totals.rssMaxMiB, 1)}</td></tr>`;
}

/** How the figures were made: the load, the trials, the warm-up rounds thrown away. */
function methodLine(results: Results, summary: ResultsSummary): string {
  const { load, trials, warmupRounds } = runFacts(results);
  const parts: string[] = [];
  if (load.model === 'open' && load.ratePerSecond !== undefined) parts.push(`open model at ${formatNumber(load.ratePerSecond)} req/s (latency from each request's scheduled send)`);
  else if (load.model === 'closed') parts.push(`closed model, ${load.connections ?? '?'} connections as fast as answers come back`);
  parts.push(e(protocolPhrase(load)));
  if (trials !== undefined) parts.push(`${trials} measured trial${trials === 1 ? '' : 's'} per topology, interleaved`);
  if (warmupRounds !== undefined) parts.push(`${warmupRounds} warm-up round${warmupRounds === 1 ? '' : 's'} run first and discarded`);
  const baseline = summary.baseline;
  if (baseline) parts.push(`overheads are each round's difference from ${e(baseline)}, median over rounds [95 % confidence interval]; latency from successful responses only`);
  if (summary.topologies.some((topology) => topology.baseline)) parts.push('an arm speaking another protocol is measured against the app-only arm speaking it (named beside the arm)');
  return `<p class="note">${parts.join('; ')}.</p>`;
}

/** A closed loop at saturation compares topologies at unequal throughput: said where the figures are. */
function closedModelCaveat(results: Results): string {
  if (runFacts(results).load.model !== 'closed') return '';
  return `<div class="notice" role="note"><strong>Closed model:</strong> every topology was driven as fast as it answers, so these latencies include queueing in front of whichever hop saturates first, and the topologies are compared at unequal throughput. For the cost per request, measure at a fixed rate every topology sustains (<code>load.model: open</code>, as the default scenario does).</div>`;
}

/** The closed-loop re-check (load.closedCheck) beside the headline, and whether they agree. */
function closedCheckLines(summary: ResultsSummary, host: Results['host']): string {
  const lines = summary.topologies.flatMap((topology) => {
    const check = topology.closedCheck;
    if (!check?.overheadP50 || check.toleranceUs === undefined) return [];
    const verdict = check.agrees ? '<span class="good">agree</span> within' : '<span class="bad">DISAGREE</span>: they differ by more than';
    return [
      `<li><strong>${e(topology.topology)}</strong>: P50 overhead at the rate ${e(formatEstimateMs(check.headlineOverheadP50, { signed: true }))}; ` +
        `${check.connections}-connection closed loop on the same pods ${e(formatEstimateMs(check.overheadP50, { signed: true }))}: ${verdict} ${formatNumber(check.toleranceUs)} µs (max(50 µs, 30 %)).</li>`,
    ];
  });
  if (lines.length === 0) return '';
  return `<h3>Re-check: the same pods under a closed loop</h3><ul class="closed-check">${lines.join('')}</ul>
<p class="note">When they disagree, the rate itself costs something the back-to-back loop does not see: queueing, or idle CPUs waking up for each request.${wakeUpEvidence(host)}</p>`;
}

/** The wake-up probe's reading, as evidence for a disagreement between the rate and the closed loop. */
function wakeUpEvidence(host: Results['host']): string {
  const wake = host.wakeUp;
  if (!wake) return ' (This run has no wake-up probe.)';
  const penalty = wakeUpPenaltyUs(wake);
  const halt = host.cpuIdleDriver === 'none' ? ' This machine has no cpuidle driver: an idle CPU halts and the hypervisor decides how fast it returns, so CPUs cannot be kept awake here (<code>host.keepCpusAwake</code> is refused).' : ' Compare a run with <code>host.keepCpusAwake: true</code>.';
  return ` Before the trials this machine measured: ${e(describeWakeUp(wake))}, i.e. ${formatNumber(Math.round(penalty))} µs more per round trip when the CPUs had ${wake.pauseMs} ms to go idle, as they do between requests at this rate. Every extra hop of a request can pay it; a back-to-back loop never does.${halt}`;
}

/** The answer table and its method line; the per-topology sentences (renderKeyFigures) follow it. */
export function renderAnswer(results: Results, summary: ResultsSummary): string {
  const protocolBaselines = new Set(summary.topologies.flatMap((topology) => (topology.baseline ? [topology.baseline] : [])));
  const baseline = baselineOf(summary);
  const anySaturation = summary.topologies.some((topology) => topology.saturation);
  return `${closedModelCaveat(results)}
<div class="table-wrap"><table class="data" id="answer">
<thead><tr><th scope="col">topology</th><th scope="col">overhead P50 (ms)</th><th scope="col">overhead P99 (ms)</th>
<th scope="col">throughput at saturation (req/s; change)</th><th scope="col">sidecar vCPU per 1k req/s</th><th scope="col">sidecar MiB</th></tr></thead>
<tbody>${summary.topologies.map((topology) => answerRow(topology, baseline, protocolBaselines)).join('')}</tbody></table></div>
${methodLine(results, summary)}
${anySaturation ? '<p class="note">Throughput at saturation comes from a separate closed-model burst after each trial; it is never part of the overheads, which are measured at the rate.</p>' : ''}
${closedCheckLines(summary, results.host)}`;
}
