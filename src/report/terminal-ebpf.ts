import type { EbpfSummary } from '../analysis/ebpf.js';
import { formatEstimateMs } from './format.js';
import { mechanismsOf } from './html-ebpf.js';
import { formatEstimate } from './html-mtls.js';

/** The eBPF saving in a few lines under the terminal table (the report has the full section). */
export function renderTerminalEbpf(ebpf: EbpfSummary): string[] {
  const percent = (share: number) => `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)} %`;
  const lines = [`eBPF vs ${ebpf.reference} ${ebpf.loadDescription} (median [95 % CI] over rounds; negative = saving):`];
  for (const arm of ebpf.arms) {
    lines.push(
      `  ${arm.arm} (${mechanismsOf(arm)}): P50 ${formatEstimateMs(arm.latencyDelta.p50Us, { signed: true })} (${formatEstimate(arm.relativeP50, percent)}), P99 ${formatEstimateMs(arm.latencyDelta.p99Us, { signed: true })} (${formatEstimate(arm.relativeP99, percent)}), sidecar vCPU/1k RPS ${formatEstimate(arm.sidecarVcpuPer1kRps.delta, (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`)}`,
      `    counters: ${arm.counters.messagesRedirected} messages redirected (${arm.redirectedPerResponse.toFixed(2)} per response), ${arm.counters.connectsRewritten} connects rewritten, ${arm.counters.originalDstAnswered} SO_ORIGINAL_DST answered${arm.inactiveTrials > 0 ? `; ${arm.inactiveTrials} trial(s) failed: programs idle` : ''}`,
    );
  }
  return lines;
}
