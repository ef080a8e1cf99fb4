/**
 * A trial's TLS figures from the sidecars' hop counters (a driver's stats reader), for proxies whose
 * counters say what failed (Envoy's ssl.* stats) rather than a log line.
 */
import type { SslCounters, TrialProxyStats } from '../results/schema.js';

/** What each failure counter means, in the words of the mTLS diagnosis. */
const FAILURE_COUNTERS: [keyof SslCounters, string, string][] = [
  ['failVerifyError', 'ssl.fail_verify_error', 'the peer certificate does not chain to the trust bundle, or is expired'],
  ['failVerifySan', 'ssl.fail_verify_san', 'the peer certificate’s SPIFFE ID is not an allowed one'],
  ['failVerifyNoCert', 'ssl.fail_verify_no_cert', 'the peer presented no certificate'],
  ['connectionError', 'ssl.connection_error', 'a TLS handshake failed: plaintext, an alert from the peer, or no shared version or cipher'],
];

/**
 * One line per failure counter that moved during the trial, e.g. "server sidecar inbound: 3 ×
 * ssl.fail_verify_san (the peer certificate’s SPIFFE ID is not an allowed one)".
 */
export function tlsFailuresFromStats(stats: readonly TrialProxyStats[]): string[] {
  const lines: string[] = [];
  for (const sidecar of stats) {
    for (const direction of ['inbound', 'outbound'] as const) {
      const ssl = sidecar[direction].ssl;
      if (!ssl) continue;
      for (const [field, name, meaning] of FAILURE_COUNTERS) {
        if (ssl[field] > 0) lines.push(`${sidecar.pod} sidecar ${direction}: ${ssl[field]} × ${name} (${meaning})`);
      }
    }
  }
  return lines;
}

/** Handshakes the server sidecar completed on its inbound side, and the share that resumed a session (%). */
export function serverHandshakesFromStats(stats: readonly TrialProxyStats[]): { handshakes: number; sessionReusePercent?: number } | undefined {
  const ssl = stats.find((sidecar) => sidecar.pod === 'server')?.inbound.ssl;
  if (!ssl) return undefined;
  return { handshakes: ssl.handshake, ...(ssl.handshake > 0 ? { sessionReusePercent: (100 * ssl.sessionReused) / ssl.handshake } : {}) };
}
