import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../src/load/agent-protocol.js';
import { HOP_HEADER } from '../../src/load/headers.js';
import { runLoad, runProbe } from '../../src/load/run-agent.js';
import { createTrustDomainCa, issueSvid, workloadSpiffeId } from '../../src/pki/spiffe-pki.js';
import { createMtlsMaterial, svidFiles, type MtlsMaterial } from '../../src/runner/mtls-material.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { rotateSvid, servedSerial } from '../../src/proxies/haproxy/admin.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { readContainerLog } from '../../src/runtime/container-logs.js';
import { dockerForTests } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();
const SCENARIO = parseScenario('topologies: [mtls]\nload: { connections: 1, duration: 1s }\nplacement: { cpusets: none }\n', 'inline.yaml');
const HOUR_MS = 3_600_000;
const PROBE = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 1, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };

describe.skipIf(!dockerode)('strict mTLS between sidecars with SPIFFE identities', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let material: MtlsMaterial;
  let server: StartedPod;
  const clients: Record<string, StartedPod> = {};
  const loadgenOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'loadgen')?.id as string;
  const sidecarOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar');
  const probe = (client: StartedPod) => runProbe(docker, loadgenOf(client), { ...PROBE, host: server.ip, port: APP_PORT });

  /** A client pod whose sidecar presents `files` (an SVID and the real trust bundle). */
  async function clientPod(arm: string, files: MtlsMaterial['client']['files']): Promise<StartedPod> {
    const plan = pods.plan('mtls', SCENARIO, { arm, mtls: { client: { tls: material.client.tls, files }, server: material.server } });
    return startPod(plan.client, pods.context);
  }

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'mtls');
    material = await createMtlsMaterial(SCENARIO.mtls);
    const plan = pods.plan('mtls', SCENARIO, { mtls: material });
    server = await startPod(plan.server, pods.context);
    clients.valid = await startPod(plan.client, pods.context);
    // No sidecar, no interception: plain HTTP straight to the server pod.
    clients.plaintext = await startPod({ name: 'plaintext-client', side: 'client', containers: [{ role: 'loadgen', image: pods.image('loadgen') }] }, pods.context);
    const foreignCa = await createTrustDomainCa(SCENARIO.mtls.trustDomain, { validityMs: HOUR_MS });
    const foreignSvid = await issueSvid(foreignCa, material.client.spiffeId, { validityMs: HOUR_MS });
    clients.foreign = await clientPod('foreign-ca', svidFiles(foreignSvid, material.caCertificatePem));
    // Signed by the run's own CA: only the SPIFFE ID check can refuse it.
    const intruderId = workloadSpiffeId(SCENARIO.mtls.trustDomain, SCENARIO.mtls.namespace, 'intruder');
    clients.intruder = await clientPod('wrong-id', svidFiles(await material.issueFor(intruderId), material.caCertificatePem));
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
  });

  it('accepts a valid SVID: the request crosses both sidecars', async () => {
    const answer = await probe(clients.valid as StartedPod);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[HOP_HEADER]).toBe('inbound, outbound');
  });

  it('refuses plaintext on the strict inbound port', async () => {
    await expect(probe(clients.plaintext as StartedPod)).rejects.toMatchObject({ code: 'SB_LOAD_FAILED' });
  });

  it('refuses a client certificate from a foreign CA, and the server sidecar says why', async () => {
    const answer = await probe(clients.foreign as StartedPod);
    // TLS 1.3: the server judges the client certificate after the client's Finished, so the client
    // sidecar learns of the refusal (an alert) only once it has sent the request: 502, not 503.
    expect(answer.statusCode).toBe(502);
    const log = await readContainerLog(docker, sidecarOf(server)?.id as string, 200);
    expect(log.some((line) => /SSL handshake failure/.test(line))).toBe(true);
  });

  it('refuses a certificate from the right CA with the wrong SPIFFE ID (the identity check)', async () => {
    expect((await probe(clients.intruder as StartedPod)).statusCode).toBe(403);
  });

  it('mounts keys into sidecars only, owned by the proxy uid and readable by it alone', async () => {
    const sidecar = sidecarOf(server);
    const stat = await sidecar?.handle.exec(['stat', '-c', '%u:%g %a', '/etc/sidecar/tls/svid.pem', '/etc/sidecar/tls/svid-key.pem']);
    expect(stat?.output.trim().split('\n')).toEqual(['1337:1337 400', '1337:1337 400']);
    // Only the key directory changes hands; /etc stays as the system has it.
    const directories = await sidecar?.handle.exec(['stat', '-c', '%n %u:%g %a', '/etc', '/etc/sidecar', '/etc/sidecar/tls']);
    expect(directories?.output.trim().split('\n')).toEqual(['/etc 0:0 755', '/etc/sidecar 0:0 755', '/etc/sidecar/tls 1337:1337 500']);
    const app = server.containers.find((container) => container.role === 'app');
    expect((await app?.handle.exec(['test', '-e', '/etc/sidecar/tls']))?.exitCode).not.toBe(0);
  });

  it('rotates every SVID under load without a failed request, and serves the new certificate', async () => {
    const spec: AgentSpec = { ...PROBE, model: 'open', ratePerSecond: 400, connections: 8, warmupUs: 500_000, durationUs: 5_000_000, host: server.ip, port: APP_PORT };
    const load = runLoad(docker, loadgenOf(clients.valid as StartedPod), spec);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const svids = await material.reissue();
    await rotateSvid(sidecarOf(clients.valid as StartedPod)?.handle as never, `${svids.client.certificatePem}\n${svids.client.privateKeyPem}`);
    await rotateSvid(sidecarOf(server)?.handle as never, `${svids.server.certificatePem}\n${svids.server.privateKeyPem}`);
    const result = await load;
    expect(result.open?.scheduled).toBe(2000);
    expect(result.responses).toBe(2000);
    expect(result.connectionErrors + result.timeouts).toBe(0);
    expect(result.statusCodes).toEqual({ '200': 2000 });
    expect(await servedSerial(sidecarOf(server)?.handle as never)).toBe(svids.server.certificate.serialNumber.toUpperCase());
    // New handshakes after the swap still succeed with the new certificates on both sides.
    expect((await probe(clients.valid as StartedPod)).statusCode).toBe(200);
  });
});
