import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSidecarStats, parseEnvoyStats, readEnvoyStats, STATS_PATH } from './stats.js';

/** Real answers of Envoy 1.40 to STATS_PATH (a server and a client sidecar on loopback, TLS between them). */
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/envoy/${name}.json`, import.meta.url), 'utf8');

describe('parseEnvoyStats', () => {
  it('reads the inbound hop of a server sidecar: listener, local app cluster, TLS where it terminates, rq time buckets', () => {
    const stats = parseEnvoyStats(fixture('server-stats'));
    expect(stats.inbound).toStrictEqual({
      downstreamCxTotal: 3,
      downstreamRqTotal: 30,
      upstreamCxTotal: 30,
      upstreamRqTotal: 30,
      ssl: { handshake: 1, sessionReused: 0, connectionError: 1, failVerifyNoCert: 0, failVerifyError: 0, failVerifySan: 1 },
      upstreamRqTimeMs: [
        { lowerBoundMs: 0, widthMs: 0, count: 23 },
        { lowerBoundMs: 1, widthMs: 0.1, count: 5 },
        { lowerBoundMs: 2, widthMs: 0.1, count: 1 },
        { lowerBoundMs: 22, widthMs: 1, count: 1 },
      ],
    });
    // This sidecar's outbound side carried nothing and has no TLS stats.
    expect(stats.outbound).toStrictEqual({ downstreamCxTotal: 0, downstreamRqTotal: 0, upstreamCxTotal: 0, upstreamRqTotal: 0, upstreamRqTimeMs: [] });
  });

  it('reads the outbound hop of a client sidecar: TLS where it originates (the ORIGINAL_DST cluster)', () => {
    const { outbound } = parseEnvoyStats(fixture('client-stats-after'));
    expect(outbound.downstreamRqTotal).toBe(42);
    expect(outbound.upstreamCxTotal).toBe(1);
    expect(outbound.upstreamRqTotal).toBe(42);
    expect(outbound.ssl?.handshake).toBe(1);
    expect(outbound.upstreamRqTimeMs.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(42);
  });

  it('is empty for an empty answer', () => {
    const empty = { downstreamCxTotal: 0, downstreamRqTotal: 0, upstreamCxTotal: 0, upstreamRqTotal: 0, upstreamRqTimeMs: [] };
    expect(parseEnvoyStats('{"stats":[]}')).toStrictEqual({ inbound: empty, outbound: empty });
  });
});

describe('diffSidecarStats', () => {
  it('is what happened between two snapshots: counters and histogram buckets subtracted, empty buckets dropped', () => {
    const delta = diffSidecarStats(parseEnvoyStats(fixture('server-stats')), parseEnvoyStats(fixture('server-stats-after')));
    expect(delta.inbound).toStrictEqual({
      downstreamCxTotal: 1,
      downstreamRqTotal: 12,
      upstreamCxTotal: 12,
      upstreamRqTotal: 12,
      ssl: { handshake: 0, sessionReused: 0, connectionError: 0, failVerifyNoCert: 0, failVerifyError: 0, failVerifySan: 1 },
      upstreamRqTimeMs: [
        { lowerBoundMs: 0, widthMs: 0, count: 8 },
        { lowerBoundMs: 1, widthMs: 0.1, count: 3 },
        { lowerBoundMs: 3, widthMs: 0.1, count: 1 },
      ],
    });
  });
});

describe('readEnvoyStats', () => {
  /** A sidecar whose histograms are merged one read late, as with stats_flush_on_admin. */
  function lateMerging(bodies: string[]) {
    const paths: string[] = [];
    const sidecar = {
      exec: async (_command: string[], options?: { env?: Record<string, string> }) => {
        paths.push(options?.env?.SB_ADMIN_PATH ?? '');
        const body = bodies[Math.min(paths.length - 1, bodies.length - 1)] as string;
        return { exitCode: 0, output: '', stdout: `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n${body}` };
      },
    };
    return { sidecar, paths };
  }

  it('reads again until the histograms stop changing (the first read only triggers the merge)', async () => {
    const { sidecar, paths } = lateMerging([fixture('server-stats'), fixture('server-stats-after'), fixture('server-stats-after')]);
    const stats = await readEnvoyStats(sidecar);
    expect(stats).toStrictEqual(parseEnvoyStats(fixture('server-stats-after')));
    expect(paths).toStrictEqual([STATS_PATH, STATS_PATH, STATS_PATH]);
  });

  it('asks for JSON with bucketed histograms, filtered to the hop counters', () => {
    const query = new URLSearchParams(STATS_PATH.split('?')[1]);
    expect(query.get('format')).toBe('json');
    expect(query.get('histogram_buckets')).toBe('detailed');
    const filter = new RegExp(query.get('filter') ?? '');
    for (const name of ['listener.inbound.ssl.handshake', 'listener.inbound.downstream_cx_total', 'http.outbound.downstream_rq_total', 'cluster.original_destination.ssl.session_reused', 'cluster.local_app.upstream_rq_time']) {
      expect(name).toMatch(filter);
    }
    for (const name of ['http.admin.downstream_rq_total', 'listener.admin.downstream_cx_total', 'cluster.local_app.upstream_rq_timeout', 'listener.inbound.ssl.ciphers.TLS_AES_128_GCM_SHA256']) {
      expect(name).not.toMatch(filter);
    }
  });
});
