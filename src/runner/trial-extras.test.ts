import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ProxyDriver, ProxyExec } from '../proxies/driver.js';
import type { HopStats, SidecarStats } from '../results/schema.js';
import type { StartedPod } from '../runtime/pod.js';
import { watchProxyStats, watchTls } from './trial-extras.js';

const hop = (requests: number, ssl?: Partial<NonNullable<HopStats['ssl']>>): HopStats => ({
  downstreamCxTotal: 1,
  downstreamRqTotal: requests,
  upstreamCxTotal: 1,
  upstreamRqTotal: requests,
  ...(ssl ? { ssl: { handshake: 0, sessionReused: 0, connectionError: 0, failVerifyNoCert: 0, failVerifyError: 0, failVerifySan: 0, ...ssl } } : {}),
  upstreamRqTimeMs: [{ lowerBoundMs: 1, widthMs: 0.1, count: requests }],
});

/** A pod whose sidecar is a named stand-in handle (the fake driver reads stats by handle). */
const pod = (side: 'client' | 'server', sidecar: string | undefined): StartedPod => ({
  name: side,
  side,
  ip: '10.0.0.1',
  containers: sidecar ? [{ name: sidecar, role: 'sidecar', image: 'x', id: sidecar, hostPid: 1, handle: { name: sidecar } as never }] : [],
});

/** A driver whose stats reader returns each sidecar's next snapshot, in order. */
function fakeDriver(snapshots: Record<string, SidecarStats[]>): ProxyDriver {
  return {
    name: 'fake',
    statsSource: 'fake /stats',
    readStats: async (sidecar: ProxyExec) => (snapshots[(sidecar as unknown as { name: string }).name] as SidecarStats[]).shift() as SidecarStats,
  } as unknown as ProxyDriver;
}

describe('watchProxyStats', () => {
  it('records what each sidecar counted between the two reads, with its pod and source', async () => {
    const driver = fakeDriver({
      'client-sidecar': [{ inbound: hop(0), outbound: hop(10, { handshake: 1 }) }, { inbound: hop(0), outbound: hop(110, { handshake: 3 }) }],
      'server-sidecar': [{ inbound: hop(10, { handshake: 1 }), outbound: hop(0) }, { inbound: hop(110, { handshake: 3, sessionReused: 1 }), outbound: hop(0) }],
    });
    const watch = await watchProxyStats(driver, pod('client', 'client-sidecar'), pod('server', 'server-sidecar'));
    const stats = await watch?.finish();
    expect(stats?.map((sidecar) => [sidecar.pod, sidecar.source, sidecar.inbound.downstreamRqTotal, sidecar.outbound.downstreamRqTotal])).toStrictEqual([
      ['client', 'fake /stats', 0, 100],
      ['server', 'fake /stats', 100, 0],
    ]);
    expect(stats?.[1]?.inbound.ssl).toMatchObject({ handshake: 2, sessionReused: 1 });
    expect(stats?.[1]?.inbound.upstreamRqTimeMs).toStrictEqual([{ lowerBoundMs: 1, widthMs: 0.1, count: 100 }]);
  });

  it('watches only the pods that have a sidecar, and nothing without a stats reader', async () => {
    const driver = fakeDriver({ 'server-sidecar': [{ inbound: hop(0), outbound: hop(0) }, { inbound: hop(5), outbound: hop(0) }] });
    const stats = await (await watchProxyStats(driver, pod('client', undefined), pod('server', 'server-sidecar')))?.finish();
    expect(stats?.map((sidecar) => sidecar.pod)).toStrictEqual(['server']);
    expect(await watchProxyStats({ name: 'none' } as ProxyDriver, pod('client', 'c'), pod('server', 's'))).toBeUndefined();
  });
});

describe('watchTls for a driver whose TLS counters come from its stats reader', () => {
  const dockerode = {} as Dockerode;
  const admin = { rotateSvid: async () => undefined };

  it('takes the server sidecar’s inbound handshakes, session reuse and verify failures from the trial’s hop counters', async () => {
    const watch = await watchTls(dockerode, admin, pod('client', 'c'), pod('server', 's'), undefined);
    const tls = await watch.finish(6, [
      { pod: 'client', source: 'fake', inbound: hop(0), outbound: hop(100, { handshake: 4 }) },
      { pod: 'server', source: 'fake', inbound: hop(100, { handshake: 4, sessionReused: 1, failVerifySan: 2 }), outbound: hop(0) },
    ]);
    expect(tls).toStrictEqual({
      serverTlsConnections: 4,
      spanSeconds: 6,
      frontendSessionReusePercent: 25,
      rotations: [],
      handshakeFailures: ['server sidecar inbound: 2 × ssl.fail_verify_san (the peer certificate’s SPIFFE ID is not an allowed one)'],
    });
  });

  it('refuses to report TLS counters it never read', async () => {
    const watch = await watchTls(dockerode, admin, pod('client', 'c'), pod('server', 's'), undefined);
    await expect(watch.finish(6)).rejects.toThrow('the server sidecar’s TLS counters were not read');
  });
});
