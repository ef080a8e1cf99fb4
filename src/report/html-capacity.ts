/**
 * The capacity section of the HTML report (a rate sweep): per topology the knee with its interval,
 * per sidecar the fitted cost per unit of work beside the seed's range, and an example sizing.
 * Every string from the results is escaped.
 */
import { SEED_SIDECAR, type CapacitySummary, type SidecarCost, type TopologyCapacity } from '../analysis/capacity.js';
import type { FitInterval } from '../analysis/linear-fit.js';
import { isBenchError } from '../errors.js';
import { formatCpuMillis, formatMemoryBytes } from '../kubernetes/quantity.js';
import { sizeSidecar } from '../sizing/size-sidecar.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatCoverage, formatNumber } from './format.js';

const MIB = 2 ** 20;
/** The example sizing shown in the report; `sidecar-bench plan` takes any target. */
const EXAMPLE = { perReplicaRps: 1000, headroomShare: 0.3 } as const;

const interval = (fit: FitInterval | undefined, decimals: number, scale = 1) =>
  fit === undefined ? DASH : `${formatNumber(fit.estimate * scale, decimals)} [${formatNumber(fit.low * scale, decimals)}, ${formatNumber(fit.high * scale, decimals)}]`;

function kneeText(topology: TopologyCapacity): string {
  const { knee } = topology;
  const low = knee.low === undefined ? 'below the lowest rate' : `${formatNumber(knee.low)}`;
  const high = knee.high === undefined ? 'above the highest rate missed' : `${formatNumber(knee.high)}`;
  const bracket = knee.low === undefined && knee.high === undefined ? '' : ` [${low}, ${high})${knee.coverage > 0 ? ` ${formatCoverage(knee.coverage)}` : ''}`;
  switch (knee.status) {
    case 'found':
      return `${formatNumber(knee.rps)} req/s${bracket}`;
    case 'above-highest':
      return `≥ ${formatNumber(knee.rps)} req/s (met at every rate swept)${bracket}`;
    case 'below-lowest':
      return `below ${formatNumber(topology.steps[0]?.targetRps)} req/s (missed at the lowest rate)${bracket}`;
    default:
      return DASH;
  }
}

function stepsText(topology: TopologyCapacity): string {
  return topology.steps
    .map((step) => {
      const p99 = Number.isFinite(step.p99Us.median) ? `${formatNumber(step.p99Us.median / 1000, 2)} ms` : 'no answer';
      const mark = step.meets ? '<span class="good">✓</span>' : '<span class="bad">✗</span>';
      const kept = step.sustainedTrials < step.trials ? ` <span class="bad">${step.sustainedTrials}/${step.trials} kept the rate</span>` : '';
      return `${formatNumber(step.targetRps)}/s: P99 ${p99} ${mark}${kept}`;
    })
    .join('<br>');
}

function kneeTable(capacity: CapacitySummary): string {
  const rows = capacity.topologies.map(
    (topology) => `<tr><th scope="row">${e(topology.topology)}</th><td class="num">${kneeText(topology)}</td><td class="num">${formatNumber(topology.knee.achievedRps)}</td><td class="small">${stepsText(topology)}</td><td class="small">${e(topology.stop)}</td></tr>`,
  );
  return `<table class="capacity-knees"><thead><tr><th scope="col">topology</th><th scope="col">knee (offered req/s) [interval)</th><th scope="col">achieved req/s at the knee</th><th scope="col">steps (median P99)</th><th scope="col">sweep ended</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function inRange(value: number | undefined, low: number, high: number): string {
  if (value === undefined) return '';
  return value >= low && value <= high ? ' <span class="muted small">(in the seed’s range)</span>' : ` <span class="warn small">(outside the seed’s ${low}–${high})</span>`;
}

function costRow(topology: TopologyCapacity, sidecar: SidecarCost): string {
  const fit = sidecar.cpuFit;
  const perConnKiB = sidecar.rssPerConnectionBytes ? interval(sidecar.rssPerConnectionBytes, 1, 1 / 1024) : `${DASH} <span class="muted small">(one pool size)</span>`;
  const ctx = sidecar.ctxSwitchesPerSecondPerCore;
  const ctxFlag = sidecar.ctxSwitchesPerSecondPerCorePeak > SEED_SIDECAR.ctxSwitchesPerSecondPerCoreMax ? ` <span class="warn small">(peak above the seed’s ${SEED_SIDECAR.ctxSwitchesPerSecondPerCoreMax})</span>` : '';
  return `<tr><th scope="row">${e(topology.topology)} / ${e(sidecar.side)} sidecar</th>
<td class="num">${interval(sidecar.vcpuPer1kRps, 3)}${inRange(sidecar.vcpuPer1kRps?.estimate, SEED_SIDECAR.vcpuPer1kRps.low, SEED_SIDECAR.vcpuPer1kRps.high)}</td>
<td class="num">${interval(sidecar.idleVcpu, 3)}</td>
<td class="num">${fit ? `${formatNumber(fit.residualStdError, 4)} (R² ${formatNumber(fit.rSquared, 3)}, n ${fit.n})` : DASH}</td>
<td class="num">${formatNumber(sidecar.rssBaseBytes / MIB, 1)}</td>
<td class="num">${perConnKiB}</td>
<td class="num">${formatNumber(sidecar.rssPeakBytes / MIB, 1)}${inRange(sidecar.rssPeakBytes / MIB, SEED_SIDECAR.rssMiB.low, SEED_SIDECAR.rssMiB.high)}</td>
<td class="num">${formatNumber(sidecar.ctxSwitchesPerRequest.median, 2)}</td>
<td class="num">${formatNumber(ctx.median)} (peak ${formatNumber(sidecar.ctxSwitchesPerSecondPerCorePeak)})${ctxFlag}</td>
<td class="num">${sidecar.throttledPeriods === undefined ? DASH : `<span class="warn">${formatNumber(sidecar.throttledPeriods)}</span>`}</td></tr>`;
}

function costTable(capacity: CapacitySummary): string {
  const rows = capacity.topologies.flatMap((topology) => topology.sidecars.map((sidecar) => costRow(topology, sidecar)));
  if (rows.length === 0) return '<p class="note">No sidecar was swept: no cost per unit of work to fit.</p>';
  return `<table class="capacity-costs"><thead><tr><th scope="col">sidecar</th><th scope="col">vCPU per 1k req/s [CI] (seed 0.1–0.5)</th><th scope="col">idle vCPU [CI]</th><th scope="col">fit residual, vCPU</th><th scope="col">RSS base, MiB</th><th scope="col">RSS per connection, KiB [CI]</th><th scope="col">peak RSS, MiB (seed 128–512)</th><th scope="col">ctx switches per request</th><th scope="col">ctx switches /s/core (seed &lt; 5000)</th><th scope="col">CFS periods throttled</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function sizingTable(capacity: CapacitySummary): string {
  const rows = capacity.topologies.flatMap((topology) => {
    if (!topology.sidecars.some((sidecar) => sidecar.cpuFit)) return [];
    try {
      const sizing = sizeSidecar(capacity, { targetRps: EXAMPLE.perReplicaRps, headroomShare: EXAMPLE.headroomShare, services: 1, replicas: 1, topology: topology.topology });
      const notes = sizing.notes.length > 0 ? `<br><span class="muted small">${sizing.notes.map(e).join('; ')}</span>` : '';
      return [
        `<tr><th scope="row">${e(topology.topology)}</th><td class="num"><code>${formatCpuMillis(sizing.requests.cpuMillis)}</code> / <code>${formatMemoryBytes(sizing.requests.memoryBytes)}</code></td><td class="num"><code>${formatCpuMillis(sizing.limits.cpuMillis)}</code> / <code>${formatMemoryBytes(sizing.limits.memoryBytes)}</code></td><td class="num">${sizing.concurrency}</td><td class="small">${sizing.kneeRps === undefined ? DASH : `${formatNumber(sizing.kneeRps)} req/s`}${notes}</td></tr>`,
      ];
    } catch (error) {
      if (isBenchError(error)) return [`<tr><th scope="row">${e(topology.topology)}</th><td colspan="4">${e(error.message)}</td></tr>`];
      throw error;
    }
  });
  if (rows.length === 0) return '';
  return `<h3>Sizing, for example at ${EXAMPLE.perReplicaRps} req/s per replica with ${EXAMPLE.headroomShare * 100} % headroom</h3>
<table class="capacity-sizing"><thead><tr><th scope="col">topology</th><th scope="col">requests cpu / memory</th><th scope="col">limits cpu / memory</th><th scope="col">concurrency (worker threads)</th><th scope="col">knee it is sized to</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">For your own target: <code>sidecar-bench plan results.json --target 5000/s --headroom 30% --services N --replicas M</code> prints the container's <code>resources:</code> as Kubernetes YAML, the concurrency and the cluster totals.</p>`;
}

/** The capacity section, or '' for a run without a sweep. `charts` is the chart figures' HTML. */
export function renderCapacity(capacity: CapacitySummary | undefined, charts: string): string {
  if (!capacity) return '';
  return `<section id="capacity"><h2>Capacity</h2>
<p>SLO: P99 ≤ ${formatNumber(capacity.slo.p99Us / 1000, 2)} ms and error rate ≤ ${formatNumber(capacity.slo.maxErrorRate * 100, 2)} %.</p>
${kneeTable(capacity)}
<h3>Cost per unit of work (fitted over the sweep)</h3>
${costTable(capacity)}
${sizingTable(capacity)}
${charts}
<p class="note">${e(capacity.method)}</p>
</section>`;
}
