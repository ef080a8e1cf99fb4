import { SEED_MTLS_THROUGHPUT_DROP, type MtlsSummary } from '../analysis/mtls.js';
import { formatEstimateMs } from './format.js';
import { formatEstimate, handshakeNoun } from './html-mtls.js';

/** The mTLS cost in a few lines under the terminal table (the report has the full section). */
export function renderTerminalMtls(mtls: MtlsSummary): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  const [seedLow, seedHigh] = SEED_MTLS_THROUGHPUT_DROP;
  const lines = [
    `mTLS cost (${mtls.arm} vs ${mtls.reference}; median [95 % CI] over trials):`,
    `  latency ${mtls.loadDescription}: P50 ${formatEstimateMs(mtls.latencyDelta.p50Us, { signed: true })}, P99 ${formatEstimateMs(mtls.latencyDelta.p99Us, { signed: true })}`,
  ];
  if (mtls.saturation) {
    lines.push(`  throughput drop at saturation: ${formatEstimate(mtls.saturation.throughputDrop, percent)} (seed: ${percent(seedLow)}–${percent(seedHigh)})`);
  }
  lines.push(`  extra sidecar vCPU per 1k RPS: ${formatEstimate(mtls.sidecarVcpuPer1kRps.delta, (value) => value.toFixed(3))}`);
  if (mtls.handshakes) {
    const { handshakes } = mtls;
    const kinds = handshakes.fullPerSecond && handshakes.resumedPerSecond
      ? ` (${formatEstimate(handshakes.fullPerSecond, (value) => value.toFixed(0))}/s full, ${formatEstimate(handshakes.resumedPerSecond, (value) => value.toFixed(0))}/s resumed)`
      : '';
    lines.push(
      `  handshakes: ${formatEstimate(handshakes.perSecond, (value) => value.toFixed(0))}/s in ${handshakes.churnArm}${kinds}, ${formatEstimate(handshakes.cpuUsPerHandshake, (value) => `${value.toFixed(0)} µs`)} sidecar CPU per ${handshakeNoun(handshakes.kind)}, first-request P50 penalty ${formatEstimateMs(handshakes.firstRequestPenaltyUs, { signed: true })}`,
    );
  }
  if (mtls.rotation) lines.push(`  SVID rotation under load: ${mtls.rotation.rotations} done, ${mtls.rotation.failedRotations.length} failed, ${mtls.rotation.failedRequests} failed requests`);
  return lines;
}
