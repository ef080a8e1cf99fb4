import { describe, expect, it } from 'vitest';
import { LIMIT_STATS_PATH, parseOverflowCounters } from './limits.js';

describe('Envoy limit counters', () => {
  it('asks /stats for the *_overflow counters only', () => {
    expect(decodeURIComponent(LIMIT_STATS_PATH)).toBe('/stats?filter=_overflow$');
  });

  it('reads every overflow counter of /stats text, by Envoy’s name', () => {
    const text = [
      'cluster.local_app.upstream_cx_overflow: 0',
      'cluster.local_app.upstream_cx_pool_overflow: 0',
      'cluster.original_destination.upstream_rq_pending_overflow: 17',
      'cluster.original_destination.upstream_rq_retry_overflow: 0',
      'cluster.original_destination.upstream_rq_total: 900',
      '',
    ].join('\n');
    expect(parseOverflowCounters(text)).toStrictEqual({
      'cluster.local_app.upstream_cx_overflow': 0,
      'cluster.local_app.upstream_cx_pool_overflow': 0,
      'cluster.original_destination.upstream_rq_pending_overflow': 17,
      'cluster.original_destination.upstream_rq_retry_overflow': 0,
    });
  });
});
