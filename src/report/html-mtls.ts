import { SEED_MTLS_THROUGHPUT_DROP, type HandshakeKind, type MtlsSummary } from '../analysis/mtls.js';
import { DEFAULT_CONFIDENCE, type MedianEstimate } from '../analysis/statistics.js';
import { escapeHtml as e } from './escape.js';
import { formatCoverage, formatEstimateMs } from './format.js';

/** "12 345 [12 100, 12 600]" with any unit: the generic form of formatEstimateMs. */
export function formatEstimate(estimate: MedianEstimate | undefined, format: (value: number) => string): string {
  if (!estimate || estimate.n === 0 || !Number.isFinite(estimate.median)) return '—';
  if (estimate.n === 1) return `${format(estimate.median)} (1 trial, no CI)`;
  const caveat = estimate.coverage < DEFAULT_CONFIDENCE ? ` (${formatCoverage(estimate.coverage)} CI)` : '';
  return `${format(estimate.median)} [${format(estimate.low)}, ${format(estimate.high)}]${caveat}`;
}

const rps = (value: number) => value.toFixed(0);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const vcpu = (value: number) => value.toFixed(3);
const us = (value: number) => `${value.toFixed(0)} µs`;

/** "full handshake", "resumed handshake", or plain "handshake" when the kind is mixed or not counted. */
export function handshakeNoun(kind: HandshakeKind): string {
  return kind === 'full' || kind === 'resumed' ? `${kind} handshake` : 'handshake';
}

function row(label: string, value: string, note = ''): string {
  return `<tr><th scope="row">${e(label)}</th><td class="num">${e(value)}</td><td>${e(note)}</td></tr>`;
}

/** The cost of strict mTLS over the plaintext sidecar, with the seed's claim beside it. */
export function renderMtls(mtls: MtlsSummary | undefined): string {
  if (!mtls) return '';
  const { identity, saturation, handshakes, rotation } = mtls;
  const [seedLow, seedHigh] = SEED_MTLS_THROUGHPUT_DROP;
  const rows = [
    row(`latency P50, ${mtls.arm} − ${mtls.reference} ${mtls.loadDescription}`, formatEstimateMs(mtls.latencyDelta.p50Us, { signed: true })),
    row(`latency P99, ${mtls.arm} − ${mtls.reference} ${mtls.loadDescription}`, formatEstimateMs(mtls.latencyDelta.p99Us, { signed: true })),
    ...(saturation
      ? [
          row(`throughput at saturation, ${mtls.reference} (req/s)`, formatEstimate(saturation.referenceRps, rps)),
          row(`throughput at saturation, ${mtls.arm} (req/s)`, formatEstimate(saturation.mtlsRps, rps)),
          row('mTLS throughput drop at saturation', formatEstimate(saturation.throughputDrop, percent), `the seed expects ${percent(seedLow)}–${percent(seedHigh)} on AES-NI hardware`),
        ]
      : [row('throughput at saturation', '—', 'set load.saturation in the scenario to measure it')]),
    row(`sidecar vCPU per 1k RPS, ${mtls.reference}`, formatEstimate(mtls.sidecarVcpuPer1kRps.reference, vcpu), 'both sidecars together'),
    row(`sidecar vCPU per 1k RPS, ${mtls.arm}`, formatEstimate(mtls.sidecarVcpuPer1kRps.mtls, vcpu)),
    row('extra sidecar vCPU per 1k RPS for mTLS', formatEstimate(mtls.sidecarVcpuPer1kRps.delta, (value) => `${value >= 0 ? '+' : ''}${vcpu(value)}`)),
    ...(handshakes
      ? [
          row(`handshakes per second, ${handshakes.churnArm}`, formatEstimate(handshakes.perSecond, rps), 'TLS connections the server sidecar accepted'),
          row(`handshakes per second, ${mtls.arm} (connections kept alive)`, formatEstimate(handshakes.keepAlivePerSecond, (value) => value.toFixed(1))),
          ...(handshakes.fullPerSecond && handshakes.resumedPerSecond
            ? [
                row(`full handshakes per second, ${handshakes.churnArm}`, formatEstimate(handshakes.fullPerSecond, rps), 'new TLS sessions: certificates exchanged and verified, key exchange'),
                row(`resumed handshakes per second, ${handshakes.churnArm}`, formatEstimate(handshakes.resumedPerSecond, rps), 'sessions resumed from a ticket: no certificate exchange'),
                row('share of handshakes resumed', formatEstimate(handshakes.resumedShare, percent), `mtls.sessionResumption: ${handshakes.sessionResumption}`),
              ]
            : []),
          row(`sidecar CPU per ${handshakeNoun(handshakes.kind)}`, formatEstimate(handshakes.cpuUsPerHandshake, us), `extra CPU of ${handshakes.churnArm} over ${mtls.arm}, per handshake${handshakes.kind === 'mixed' ? ' (a mix of full and resumed: set mtls.sessionResumption to price one kind)' : ''}`),
          row('P50 of a first request (new TLS connection)', formatEstimateMs(handshakes.firstRequestP50Us)),
          row('P50 in steady state (connection reused)', formatEstimateMs(handshakes.steadyP50Us)),
          row('handshake penalty on a first request (P50)', formatEstimateMs(handshakes.firstRequestPenaltyUs, { signed: true })),
          ...(handshakes.sessionReusePercent !== undefined ? [row('TLS sessions resumed (server sidecar)', `${handshakes.sessionReusePercent} %`, 'resumed handshakes skip the certificate exchange')] : []),
        ]
      : [row('handshake figures', '—', 'add the mtls-churn topology to measure handshake cost')]),
  ].join('\n');
  const rotationHtml = rotation
    ? `<h3>SVID rotation under load</h3>
<p>${rotation.rotations} rotation(s) through HAProxy's runtime API, without a restart; ${rotation.failedRotations.length} failed${rotation.failedRotations.length ? `: ${e(rotation.failedRotations.join('; '))}` : ''}. Failed requests in the rotated trials: <strong>${rotation.failedRequests}</strong>.</p>
<table><thead><tr><th>second (0 = the swap)</th><th>P50 ms</th><th>P99 ms</th><th>errors</th></tr></thead><tbody>
${rotation.around.map((point) => `<tr><td class="num">${point.t}</td><td class="num">${(point.p50Us / 1000).toFixed(3)}</td><td class="num">${(point.p99Us / 1000).toFixed(3)}</td><td class="num">${point.errors}</td></tr>`).join('\n')}
</tbody></table>`
    : '';
  return `<section id="mtls"><h2>mTLS cost</h2>
<p>Trust domain <code>${e(identity.trustDomain)}</code>: client <code>${e(identity.clientSpiffeId)}</code>, server <code>${e(identity.serverSpiffeId)}</code>; ${e(identity.keyAlgorithm)} SVIDs, TLS ${e(identity.tlsVersion)}${identity.cipher ? `, ${e(identity.cipher)}` : ''}; strict (no plaintext accepted). Peer identity: ${e(identity.identityCheck)}.</p>
<table><thead><tr><th>figure</th><th>median [95 % CI]</th><th>note</th></tr></thead><tbody>
${rows}
</tbody></table>
${rotationHtml}
</section>`;
}
