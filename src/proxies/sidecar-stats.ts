/**
 * Sidecar hop counters as any driver's stats reader gives them (results/schema.ts: SidecarStats):
 * the difference of two snapshots, and a trial's TLS figures from them, for proxies whose counters
 * say what failed (Envoy's ssl.* stats) rather than a log line.
 */
import type { HopStats, RqTimeBucket, SidecarStats, SslCounters, TrialProxyStats } from '../results/schema.js';

const SSL_FIELDS: (keyof SslCounters)[] = ['handshake', 'sessionReused', 'connectionError', 'failVerifyNoCert', 'failVerifyError', 'failVerifySan'];

function diffBuckets(before: readonly RqTimeBucket[], after: readonly RqTimeBucket[]): RqTimeBucket[] {
  const earlier = new Map(before.map((bucket) => [bucket.lowerBoundMs, bucket.count]));
  return after.map((bucket) => ({ ...bucket, count: bucket.count - (earlier.get(bucket.lowerBoundMs) ?? 0) })).filter((bucket) => bucket.count > 0);
}

function diffHop(before: HopStats, after: HopStats): HopStats {
  const ssl = after.ssl
    ? (Object.fromEntries(SSL_FIELDS.map((field) => [field, after.ssl![field] - (before.ssl?.[field] ?? 0)])) as unknown as SslCounters)
    : undefined;
  return {
    downstreamCxTotal: after.downstreamCxTotal - before.downstreamCxTotal,
    downstreamRqTotal: after.downstreamRqTotal - before.downstreamRqTotal,
    upstreamCxTotal: after.upstreamCxTotal - before.upstreamCxTotal,
    upstreamRqTotal: after.upstreamRqTotal - before.upstreamRqTotal,
    ...(ssl ? { ssl } : {}),
    upstreamRqTimeMs: diffBuckets(before.upstreamRqTimeMs, after.upstreamRqTimeMs),
  };
}

/** What happened between two snapshots of the same sidecar (counters only grow while it runs). */
export function diffSidecarStats(before: SidecarStats, after: SidecarStats): SidecarStats {
  return { inbound: diffHop(before.inbound, after.inbound), outbound: diffHop(before.outbound, after.outbound) };
}

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
