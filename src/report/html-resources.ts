/** The per-container resource table and the "How to read this report" section. */
import type { ContainerWindowResources, ResultsSummary } from '../analysis/types.js';
import { formatCpuMillis, formatMemoryBytes, type ResourceAmounts } from '../kubernetes/index.js';
import { escapeHtml as e } from './escape.js';
import { DASH, formatMiB, formatNumber } from './format.js';

function optionalCount(value: number | undefined, badAbove = 0): string {
  if (value === undefined) return `<td class="num muted">${DASH}</td>`;
  return `<td class="num${value > badAbove ? ' bad' : ''}">${formatNumber(value)}</td>`;
}

/** "200m / 1" (request / limit), "— / 100m", or a dash when neither is set. */
function requestLimit(requests: ResourceAmounts, limits: ResourceAmounts, key: keyof ResourceAmounts, format: (value: number) => string): string | undefined {
  const request = requests[key];
  const limit = limits[key];
  if (request === undefined && limit === undefined) return undefined;
  return `${request === undefined ? DASH : format(request)} / ${limit === undefined ? DASH : format(limit)}`;
}

/** The container's Kubernetes requests / limits, one line per resource. */
function resourcesCell(r: ContainerWindowResources): string {
  if (!r.resources) return `<td class="muted">${DASH}</td>`;
  const { requests, limits } = r.resources;
  const lines = [
    ['cpu', requestLimit(requests, limits, 'cpuMilli', formatCpuMillis)],
    ['memory', requestLimit(requests, limits, 'memoryBytes', formatMemoryBytes)],
  ].flatMap(([name, text]) => (text ? [`${name} ${text}`] : []));
  return `<td class="nowrap small">${lines.length > 0 ? lines.map(e).join('<br>') : 'none'}</td>`;
}

/** Throttled periods of the CFS periods, with the share and the time lost per second. */
function throttlingCell(r: ContainerWindowResources): string {
  if (r.throttledPeriods === undefined) return `<td class="num muted">${DASH}</td>`;
  const share = r.throttledPeriodShare !== undefined ? ` of ${formatNumber(r.cfsPeriods ?? 0)} (${formatNumber(r.throttledPeriodShare * 100, 1)} %)` : '';
  const time = r.throttledMsPerSecond !== undefined && r.throttledPeriods > 0 ? `<br><span class="small">${formatNumber(r.throttledMsPerSecond, 1)} ms/s waited</span>` : '';
  return `<td class="num${r.throttledPeriods > 0 ? ' bad' : ''}">${formatNumber(r.throttledPeriods)}${share}${time}</td>`;
}

export function renderResourceTable(summary: ResultsSummary): string {
  const rows = summary.topologies.flatMap((topology) =>
    topology.resources.map(
      (r, index) => `<tr${index === 0 ? ' class="group-start"' : ''}>
${index === 0 ? `<th scope="rowgroup" rowspan="${topology.resources.length}">${e(topology.topology)}</th>` : ''}<td><span class="nowrap">${e(r.container)}</span><br><span class="muted small">${e(r.processNames.join(', ') || DASH)}</span></td>
<td>${e(r.side)}</td><td>${e(r.role)}</td>
<td class="num">${formatNumber(r.vcpu, 3)}</td><td class="num">${formatNumber(r.vcpuPer1kRps, 3)}</td>
<td class="num">${formatNumber(r.cpuUsPerRequest, 1)}</td>
<td class="num">${formatNumber(r.ctxSwitchesPerSecondPerCore)}</td><td class="num">${formatNumber(r.ctxSwitchesPerRequest, 2)}</td>
<td class="num">${formatMiB(r.rssMaxBytes)}</td>
${resourcesCell(r)}${throttlingCell(r)}${optionalCount(r.oomKills)}
</tr>`,
    ),
  );
  return `<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">topology</th><th scope="col">container<br><span class="small">processes</span></th><th scope="col">side</th><th scope="col">role</th>
<th scope="col">vCPU</th><th scope="col">vCPU per 1k RPS</th><th scope="col">CPU µs per request</th>
<th scope="col">ctx switches / s / core</th><th scope="col">ctx switches per request</th><th scope="col">RSS max (MiB)</th>
<th scope="col">requests / limits</th><th scope="col">throttled periods</th><th scope="col">OOM kills</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>
<p class="note">Mean over the ok trials of each topology, over the measured window only (warm-up excluded). vCPU is process CPU time
(utime + stime, every thread) divided by wall time; per-core context switches divide by the cores the pod may run on (its cpuset,
else every host core). Requests and limits are the container's Kubernetes <code>resources:</code>, applied to its cgroup as the kubelet
maps them (CPU shares from the request, a CFS quota per 100 ms period from the limit, the memory limit). Throttled periods (of the CFS
periods that elapsed, and the time spent waiting for the next one) and OOM kills come from the container's cgroup; a dash means it was
not readable. Throttling above about 25 % of periods is what Prometheus' CPUThrottlingHigh alert fires on.</p>`;
}

export function renderHowToRead(summary: ResultsSummary): string {
  const baseline = summary.baseline ?? 'the baseline topology';
  return `<section id="how-to-read"><h2>How to read this report</h2>
<ul>
<li><strong>Units.</strong> Latencies are in milliseconds with 3 decimals, so the last digit is one microsecond (the histograms record whole µs).
Memory is in MiB (2<sup>20</sup> bytes). RPS is responses per second over the measured window.</li>
<li><strong>Overhead vs baseline</strong> is measured per round: a topology's percentile minus the same percentile of ${e(baseline)}
in the same round, then the median over rounds with a confidence interval, written "+0.605 ms [+0.52, +0.70]". An interval that
covers less than 95 % (too few trials) says so: "(93.8 % CI)". Each step up the topology list adds one thing: <em>sidecar-inbound</em>
adds one proxy hop and the iptables redirect, <em>sidecar</em> a second proxy on the client side. Trials are interleaved (A B C, C B A, A B C …)
so machine drift hits every topology alike; an interval that crosses zero means the difference is within this machine's noise.</li>
<li><strong>Three estimators.</strong> The differential one above sees everything a topology adds. Two more come from response headers:
<code>x-envoy-upstream-service-time</code> has 1 ms resolution, so "total − upstream time" is quantised to whole milliseconds and sees only
the nearest proxy; <code>x-app-service-time-us</code> has µs resolution, so "total − app time" (network plus every proxy) is the finer one.
Read them beside the differential overhead, not instead of it.</li>
<li><strong>Open model.</strong> Under a fixed arrival rate, latency counts from the scheduled send, so waiting for a busy connection is
part of it; a topology that could not keep the rate is flagged at the top of the page.</li>
<li><strong>Tail percentiles</strong> (P99.9, max) rest on few requests: P99.9 of 100,000 responses is the 100th slowest, max is one request.</li>
<li><strong>Resources.</strong> vCPU per 1k RPS is the CPU a container spends per 1,000 requests per second: the capacity-planning figure.
The seed's reference figures for a sidecar are 0.1–0.5 vCPU per 1k RPS, 128–512 MiB, and fewer than 5,000 context switches
per second per core. The load generator shares the machine, so its CPU is part of the picture, not of the sidecar's cost.</li>
<li><strong>Charts</strong> are drawn in the page from the data embedded in it; hover a mark for its exact values. The page makes no network requests.</li>
</ul></section>`;
}
