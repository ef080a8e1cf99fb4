import { describe, expect, it } from 'vitest';
import { parseTlsCounters } from './admin.js';

/** `show info` of HAProxy 2.6 after some TLS traffic (excerpt, in the order HAProxy prints it). */
const SHOW_INFO = `Name: HAProxy
Version: 2.6.12-1+deb12u1
Release_date: 2023/12/16
Nbthread: 1
Nbproc: 1
Process_num: 1
Pid: 8
Uptime: 0d 0h00m42s
Uptime_sec: 42
Memmax_MB: 0
PoolAlloc_MB: 0
Ulimit-n: 16051
Maxsock: 16051
Maxconn: 8000
Maxpipes: 0
CurrConns: 17
CumConns: 12419
CumReq: 48211
MaxSslConns: 0
CurrSslConns: 16
CumSslConns: 12404
ConnRate: 290
ConnRateLimit: 0
MaxConnRate: 611
SessRate: 290
SslRate: 289
SslRateLimit: 0
MaxSslRate: 610
SslFrontendKeyRate: 145
SslFrontendMaxKeyRate: 306
SslFrontendSessionReuse_pct: 0
SslBackendKeyRate: 144
SslBackendMaxKeyRate: 305
SslCacheLookups: 0
SslCacheMisses: 0
CompressBpsIn: 0
Tasks: 64
Run_queue: 1
Idle_pct: 71
node: sidecar
Stopping: 0
`;

describe('parseTlsCounters', () => {
  it('reads CumSslConns and SslFrontendSessionReuse_pct, not the look-alike lines', () => {
    expect(parseTlsCounters(SHOW_INFO)).toStrictEqual({ cumulativeTlsConnections: 12404, frontendSessionReusePercent: 0 });
  });

  it('reads a fractional reuse share', () => {
    expect(parseTlsCounters(SHOW_INFO.replace('SslFrontendSessionReuse_pct: 0', 'SslFrontendSessionReuse_pct: 37.5'))).toStrictEqual({
      cumulativeTlsConnections: 12404,
      frontendSessionReusePercent: 37.5,
    });
  });

  it('leaves out the reuse share when HAProxy does not print it', () => {
    const withoutReuse = SHOW_INFO.replace('SslFrontendSessionReuse_pct: 0\n', '');
    const counters = parseTlsCounters(withoutReuse);
    expect(counters).toStrictEqual({ cumulativeTlsConnections: 12404 });
    expect(counters).not.toHaveProperty('frontendSessionReusePercent');
  });

  it('counts 0 TLS connections when CumSslConns is missing', () => {
    expect(parseTlsCounters(SHOW_INFO.replace('CumSslConns: 12404\n', ''))).toStrictEqual({ cumulativeTlsConnections: 0, frontendSessionReusePercent: 0 });
    expect(parseTlsCounters('')).toStrictEqual({ cumulativeTlsConnections: 0 });
  });

  it('accepts CRLF line ends from the socket', () => {
    expect(parseTlsCounters(SHOW_INFO.replace(/\n/g, '\r\n'))).toStrictEqual({ cumulativeTlsConnections: 12404, frontendSessionReusePercent: 0 });
  });
});
