/**
 * Per-hop counters of an Envoy sidecar from its admin `/stats` (JSON, histogram buckets detailed),
 * in Envoy's own vocabulary. The listeners carry `stat_prefix` inbound/outbound, so names do not
 * depend on addresses: TLS is counted where it terminates (`listener.inbound.ssl.*`) and where it
 * originates (`cluster.original_destination.ssl.*`).
 */
import type { HopStats, RqTimeBucket, SidecarStats, SslCounters } from '../../results/schema.js';
import { diffSidecarStats } from '../sidecar-stats.js';
import { adminGet, type AdminExec } from './admin.js';

export type { HopStats, RqTimeBucket, SidecarStats, SslCounters };
export { diffSidecarStats };

const HOPS = {
  inbound: { listener: 'inbound', cluster: 'local_app', sslScope: 'listener.inbound' },
  outbound: { listener: 'outbound', cluster: 'original_destination', sslScope: 'cluster.original_destination' },
} as const;

const SSL_FIELDS: Record<keyof SslCounters, string> = {
  handshake: 'handshake',
  sessionReused: 'session_reused',
  connectionError: 'connection_error',
  failVerifyNoCert: 'fail_verify_no_cert',
  failVerifyError: 'fail_verify_error',
  failVerifySan: 'fail_verify_san',
};

/** The admin query: only the stats above (RE2), histograms as buckets. */
export const STATS_PATH = `/stats?format=json&histogram_buckets=detailed&filter=${encodeURIComponent(
  '^(listener\\.(inbound|outbound)\\.(downstream_cx_total|ssl\\.[a-z_]+)|http\\.(inbound|outbound)\\.downstream_rq_total|cluster\\.(local_app|original_destination)\\.(upstream_cx_total|upstream_rq_total|upstream_rq_time|ssl\\.[a-z_]+))$',
)}`;

interface StatsJson {
  stats?: ({ name: string; value: number } | { histograms: { details?: { name: string; totals?: { lower_bound: number; width: number; count: number }[] }[] } })[];
}

export function parseEnvoyStats(json: string): SidecarStats {
  const parsed = JSON.parse(json) as StatsJson;
  const counters = new Map<string, number>();
  const histograms = new Map<string, RqTimeBucket[]>();
  for (const entry of parsed.stats ?? []) {
    if ('histograms' in entry) {
      for (const detail of entry.histograms.details ?? []) {
        histograms.set(detail.name, (detail.totals ?? []).map((bucket) => ({ lowerBoundMs: bucket.lower_bound, widthMs: bucket.width, count: bucket.count })));
      }
    } else counters.set(entry.name, entry.value);
  }
  const counter = (name: string) => counters.get(name) ?? 0;
  const hop = (direction: keyof typeof HOPS): HopStats => {
    const { listener, cluster, sslScope } = HOPS[direction];
    const hasSsl = counters.has(`${sslScope}.ssl.handshake`);
    const ssl = Object.fromEntries(Object.entries(SSL_FIELDS).map(([field, stat]) => [field, counter(`${sslScope}.ssl.${stat}`)])) as unknown as SslCounters;
    return {
      downstreamCxTotal: counter(`listener.${listener}.downstream_cx_total`),
      downstreamRqTotal: counter(`http.${listener}.downstream_rq_total`),
      upstreamCxTotal: counter(`cluster.${cluster}.upstream_cx_total`),
      upstreamRqTotal: counter(`cluster.${cluster}.upstream_rq_total`),
      ...(hasSsl ? { ssl } : {}),
      upstreamRqTimeMs: histograms.get(`cluster.${cluster}.upstream_rq_time`) ?? [],
    };
  };
  return { inbound: hop('inbound'), outbound: hop('outbound') };
}

const histogramCount = (stats: SidecarStats) => [stats.inbound, stats.outbound].reduce((sum, hop) => sum + hop.upstreamRqTimeMs.reduce((s, b) => s + b.count, 0), 0);

/**
 * A snapshot from the admin interface. The sidecar flushes stats only when asked
 * (`stats_flush_on_admin`), and merges worker histograms after answering: a read triggers the
 * merge, so this reads until two reads agree (at most 10 reads, 50 ms apart).
 */
export async function readEnvoyStats(sidecar: AdminExec): Promise<SidecarStats> {
  let previous = parseEnvoyStats(await adminGet(sidecar, STATS_PATH));
  for (let attempt = 0; attempt < 10; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const current = parseEnvoyStats(await adminGet(sidecar, STATS_PATH));
    if (histogramCount(current) === histogramCount(previous)) return current;
    previous = current;
  }
  return previous;
}
