import { PUBLISHED_EBPF_LATENCY_SAVING, type EbpfArmSummary, type EbpfSummary } from '../analysis/ebpf.js';
import { BPF_COUNTER_NAMES } from '../results/schema.js';
import { escapeHtml as e } from './escape.js';
import { formatEstimateMs } from './format.js';
import { formatEstimate } from './html-mtls.js';

const percent = (share: number) => `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)} %`;
const vcpu = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;

/** "sockops + sk_msg" / "connect4 + getsockopt" / both. */
export function mechanismsOf(arm: EbpfArmSummary): string {
  return [arm.sockmap ? 'sockops + sk_msg' : undefined, arm.connect ? 'connect4 + getsockopt' : undefined].filter(Boolean).join(', ');
}

/** The eBPF section: what each mechanism saves against the iptables sidecar, and the counters proving it acted. */
export function renderEbpf(ebpf: EbpfSummary | undefined): string {
  if (!ebpf) return '';
  const [low, high] = PUBLISHED_EBPF_LATENCY_SAVING;
  const savings = ebpf.arms
    .map(
      (arm) => `<tr><th scope="row">${e(arm.arm)}</th><td>${e(mechanismsOf(arm))}</td>
<td class="num">${e(formatEstimateMs(arm.latencyDelta.p50Us, { signed: true }))}<br>${e(formatEstimate(arm.relativeP50, percent))}</td>
<td class="num">${e(formatEstimateMs(arm.latencyDelta.p99Us, { signed: true }))}<br>${e(formatEstimate(arm.relativeP99, percent))}</td>
<td class="num">${e(formatEstimate(arm.sidecarVcpuPer1kRps.arm, (value) => value.toFixed(3)))}<br>${e(formatEstimate(arm.sidecarVcpuPer1kRps.delta, vcpu))}</td></tr>`,
    )
    .join('\n');
  const counters = ebpf.arms
    .map(
      (arm) =>
        `<tr><th scope="row">${e(arm.arm)}</th>${BPF_COUNTER_NAMES.map((name) => `<td class="num">${arm.counters[name]}</td>`).join('')}<td class="num">${arm.redirectedPerResponse.toFixed(2)}</td><td class="num">${arm.inactiveTrials}</td></tr>`,
    )
    .join('\n');
  return `<section id="ebpf"><h2>eBPF interception vs iptables</h2>
<p>Each eBPF arm against <strong>${e(ebpf.reference)}</strong> (the same two sidecars behind iptables REDIRECT), ${e(ebpf.loadDescription)}, paired by round: a negative difference is a saving. Published claims for socket-level redirection on one host (istio-tcpip-bypass, merbridge) range from ${(low * 100).toFixed(0)} % to ${(high * 100).toFixed(0)} % lower latency. Inbound stays iptables in every eBPF arm; connect4 replaces only the outbound REDIRECT.</p>
<table><thead><tr><th>arm</th><th>mechanisms</th><th>Δ P50 vs ${e(ebpf.reference)}<br>(relative)</th><th>Δ P99 vs ${e(ebpf.reference)}<br>(relative)</th><th>sidecar vCPU per 1k RPS<br>(Δ vs ${e(ebpf.reference)})</th></tr></thead><tbody>
${savings}
</tbody></table>
<h3>Proof the programs acted (counter increments over the ok trials)</h3>
<table><thead><tr><th>arm</th>${BPF_COUNTER_NAMES.map((name) => `<th>${e(name)}</th>`).join('')}<th>redirected per response</th><th>trials failed: programs idle</th></tr></thead><tbody>
${counters}
</tbody></table>
<p class="note">A trial whose programs did nothing fails (SB_BPF_INACTIVE) and is never counted as a saving. With sockops + sk_msg every request and every response crosses three socket pairs (loadgen ↔ client sidecar, client sidecar ↔ server sidecar, server sidecar ↔ app): at least 6 messages redirected per response (a response written in two parts counts twice) and no message left to TCP mean every hop skipped the TCP stack. With mTLS the sidecar ↔ sidecar messages would be ciphertext: sk_msg moves bytes and does not care, but this run's eBPF arms are plaintext.</p>
</section>`;
}
