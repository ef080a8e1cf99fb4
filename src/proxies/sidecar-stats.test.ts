import { describe, expect, it } from 'vitest';
import type { HopStats, TrialProxyStats } from '../results/schema.js';
import { serverHandshakesFromStats, tlsFailuresFromStats } from './sidecar-stats.js';

const QUIET_SSL = { handshake: 0, sessionReused: 0, connectionError: 0, failVerifyNoCert: 0, failVerifyError: 0, failVerifySan: 0 };
const hop = (ssl?: Partial<HopStats['ssl']>): HopStats => ({
  downstreamCxTotal: 1,
  downstreamRqTotal: 1,
  upstreamCxTotal: 1,
  upstreamRqTotal: 1,
  ...(ssl ? { ssl: { ...QUIET_SSL, ...ssl } } : {}),
  upstreamRqTimeMs: [],
});
const sidecar = (pod: 'client' | 'server', inbound: HopStats, outbound: HopStats): TrialProxyStats => ({ pod, source: 'envoy admin /stats', inbound, outbound });

describe('tlsFailuresFromStats', () => {
  it('names each failure counter that moved, with its sidecar, direction and meaning', () => {
    const stats = [sidecar('client', hop({}), hop({ handshake: 4, connectionError: 2 })), sidecar('server', hop({ handshake: 4, failVerifySan: 3, failVerifyError: 1 }), hop())];
    expect(tlsFailuresFromStats(stats)).toStrictEqual([
      'client sidecar outbound: 2 × ssl.connection_error (a TLS handshake failed: plaintext, an alert from the peer, or no shared version or cipher)',
      'server sidecar inbound: 1 × ssl.fail_verify_error (the peer certificate does not chain to the trust bundle, or is expired)',
      'server sidecar inbound: 3 × ssl.fail_verify_san (the peer certificate’s SPIFFE ID is not an allowed one)',
    ]);
  });

  it('is empty when no failure counter moved or no hop has TLS', () => {
    expect(tlsFailuresFromStats([sidecar('server', hop({ handshake: 9, sessionReused: 3 }), hop())])).toStrictEqual([]);
    expect(tlsFailuresFromStats([sidecar('server', hop(), hop())])).toStrictEqual([]);
  });
});

describe('serverHandshakesFromStats', () => {
  it('counts the server sidecar’s inbound handshakes and the share resumed', () => {
    expect(serverHandshakesFromStats([sidecar('client', hop({ handshake: 7 }), hop()), sidecar('server', hop({ handshake: 8, sessionReused: 2 }), hop())])).toStrictEqual({ handshakes: 8, sessionReusePercent: 25 });
    expect(serverHandshakesFromStats([sidecar('server', hop({}), hop())])).toStrictEqual({ handshakes: 0 });
    expect(serverHandshakesFromStats([sidecar('server', hop(), hop())])).toBeUndefined();
  });
});
