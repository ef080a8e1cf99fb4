import { describe, expect, it } from 'vitest';
import { parseHaproxyStats } from '../proxies/haproxy/admin.js';
import type { RunningContainer } from '../runtime/pod.js';
import { hopCount, missingHops, missingTrialHops, requestsLeavingTheAgent, type Hop } from './path-check.js';

// `show stat` of HAProxy 2.6 (Debian bookworm), trimmed to the columns the reader uses plus a few, in
// their real order; one request went through the inbound frontend, whose backend could not connect.
const SHOW_STAT = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,hrsp_2xx,req_tot,connect,reuse
inbound,FRONTEND,,,1,1,9986,7,0,0,0,5,,
local_app,app,0,0,0,1,,1,0,0,0,,4,0
local_app,BACKEND,0,0,1,1,999,3,0,0,0,4,4,1
outbound,FRONTEND,,,0,0,9986,0,0,0,0,0,,
original_destination,BACKEND,0,0,0,0,999,0,0,0,0,,0,0
`;

describe('parseHaproxyStats', () => {
  it('reads the frontends as listeners and the backends as clusters, by column name', () => {
    expect(parseHaproxyStats(SHOW_STAT)).toStrictEqual({
      inbound: { downstreamCxTotal: 7, downstreamRqTotal: 5, upstreamCxTotal: 4, upstreamRqTotal: 4, upstreamRqTimeMs: [] },
      outbound: { downstreamCxTotal: 0, downstreamRqTotal: 0, upstreamCxTotal: 0, upstreamRqTotal: 0, upstreamRqTimeMs: [] },
    });
  });
});

describe('missingHops', () => {
  const hop = (label: string, direction: 'inbound' | 'outbound'): Hop => ({ label, direction, sidecar: {} as RunningContainer });
  const hops = [hop('client sidecar (outbound)', 'outbound'), hop('server sidecar (inbound)', 'inbound')];

  it('passes when every hop counted at least the requests sent (warm-up may add more)', () => {
    expect(missingHops(hops, [10, 20], [3010, 3025], 3000, 'requests the trial sent')).toStrictEqual([]);
  });

  it('names each hop that carried fewer, with its count', () => {
    expect(missingHops(hops, [10, 20], [10, 3020], 3000, 'requests the trial sent')).toStrictEqual([
      'the client sidecar (outbound) counted 0 of the 3000 requests the trial sent: the path bypassed it',
    ]);
    expect(missingHops(hops, [0, 0], [0, 0], 1, 'probe requests')).toHaveLength(2);
  });
});

describe('missingTrialHops (on a trial\'s proxyStats)', () => {
  const hop = (requests: number) => ({ downstreamCxTotal: 1, downstreamRqTotal: requests, upstreamCxTotal: 1, upstreamRqTotal: requests, upstreamRqTimeMs: [] });
  const stats = (pod: 'client' | 'server', outbound: number, inbound: number) => ({ pod, source: 'test', outbound: hop(outbound), inbound: hop(inbound) });

  it('checks the client sidecar outbound and the server sidecar inbound', () => {
    expect(missingTrialHops([stats('client', 3100, 0), stats('server', 0, 3100)], 3000)).toStrictEqual([]);
    expect(missingTrialHops([stats('client', 0, 3100), stats('server', 0, 3100)], 3000)).toStrictEqual([
      'the client sidecar (outbound) counted 0 of the 3000 requests the trial sent: the path bypassed it',
    ]);
  });

  it('excuses the server sidecar the requests the client sidecar failed to connect upstream, and no more', () => {
    expect(missingTrialHops([stats('client', 3000, 0), stats('server', 0, 1000)], 3000, 2000)).toStrictEqual([]);
    expect(missingTrialHops([stats('client', 3000, 0), stats('server', 0, 999)], 3000, 2000)).toStrictEqual([
      'the server sidecar (inbound) counted 999 of the 1000 requests the trial sent (the client sidecar failed to connect 2000 upstream): the path bypassed it',
    ]);
  });

  it('owes no hop the requests whose connect failed inside the client pod (EADDRNOTAVAIL), and only those', () => {
    expect(requestsLeavingTheAgent(600, { EADDRNOTAVAIL: 500, ECONNREFUSED: 7 })).toBe(100);
    expect(requestsLeavingTheAgent(600, { ECONNRESET: 5 })).toBe(600);
    expect(requestsLeavingTheAgent(600, undefined)).toBe(600);
  });

  it('counts connections for WebSocket and TCP, whose messages the proxies do not see', () => {
    const cx = (connections: number) => ({ downstreamCxTotal: connections, downstreamRqTotal: 0, upstreamCxTotal: connections, upstreamRqTotal: 0, upstreamRqTimeMs: [] });
    const tcpStats = (pod: 'client' | 'server', outbound: number, inbound: number) => ({ pod, source: 'test', outbound: cx(outbound), inbound: cx(inbound) });
    expect(hopCount('tcp', 3000, 32)).toStrictEqual({ what: 'connections', expected: 32 });
    expect(hopCount('websocket', 3000, 32)).toStrictEqual({ what: 'connections', expected: 32 });
    expect(hopCount('http1', 3000, 32)).toStrictEqual({ what: 'requests', expected: 3000 });
    expect(missingTrialHops([tcpStats('client', 32, 0), tcpStats('server', 0, 33)], hopCount('tcp', 3000, 32))).toStrictEqual([]);
    expect(missingTrialHops([tcpStats('client', 32, 0), tcpStats('server', 0, 0)], hopCount('tcp', 3000, 32))).toStrictEqual([
      'the server sidecar (inbound) counted 0 of the 32 connections the trial opened: the path bypassed it',
    ]);
  });
});
