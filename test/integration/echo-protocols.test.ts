import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchError } from '../../src/errors.js';
import { decodeHistogram } from '../../src/hdr/histogram.js';
import { failedRequests, type AgentSpec } from '../../src/load/agent-protocol.js';
import type { LoadProtocol } from '../../src/load/protocols.js';
import { runLoad } from '../../src/load/run-agent.js';
import type { ProxyExec } from '../../src/proxies/driver.js';
import type { ProxyName } from '../../src/proxies/registry.js';
import { agentLoadOf, armLoadOf } from '../../src/runner/load-spec.js';
import { expectedHops, readHopRequests } from '../../src/runner/path-check.js';
import { workloadSpiffeId } from '../../src/pki/spiffe-pki.js';
import { createMtlsMaterial, svidPem } from '../../src/runner/mtls-material.js';
import { checkPath, type StartedTopology } from '../../src/runner/pods-for-run.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { APP_TCP_PORT, appPortFor } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';
import { readAppTcpConnections, readTcpTlsHandshakes, readTlsHop } from '../support/tls-hop.js';

const dockerode = await dockerForTests();
const SCENARIO = parseScenario(
  ['topologies: [sidecar, mtls]', 'load: { model: open, rate: 300/s, connections: 4, warmup: 300ms, duration: 1s, timeout: 2s, messageSize: 1KiB }', 'placement: { cpusets: none }'].join('\n'),
  'inline.yaml',
);

/**
 * WebSocket (an Upgrade through the sidecars' HTTP path) and TCP (their L4 path) through both
 * sidecars of the sidecar topology, one pair of pods per proxy for both protocols (the TCP port is
 * rendered at L4 beside HTTP, as a mesh carries a TCP Service port); and both through the mtls
 * topology (TCP wrapped in TLS at L4), the TLS hop proven by both sidecars' handshake counters,
 * with a plaintext client and a wrong SPIFFE ID refused on the TCP port before the app.
 */
describe.skipIf(!dockerode).each<ProxyName>(['haproxy', 'envoy'])('WebSocket and TCP through %s sidecars', (proxy) => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let topology: StartedTopology;
  let mtlsTopology: StartedTopology;
  let mtlsTcpTopology: StartedTopology;
  let plaintextClient: StartedPod;
  let intruderClient: StartedPod;
  const readStats = () => pods.proxy.driver.readStats as NonNullable<TestPods['proxy']['driver']['readStats']>;
  const loadgen = (of: StartedTopology) => of.client.containers.find((container) => container.role === 'loadgen')?.id as string;
  const specFor = (of: StartedTopology, protocol: LoadProtocol): AgentSpec => ({ ...armLoadOf(agentLoadOf(SCENARIO), protocol), host: of.server.ip, port: appPortFor(protocol), seed: 1 });
  const withProtocol = (protocol: LoadProtocol): StartedTopology => ({ ...topology, plan: { ...topology.plan, protocol } });
  const sidecarOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar')?.handle as ProxyExec;

  beforeAll(async () => {
    pods = await setUpTestPods(docker, `echo-${proxy}`, { proxy });
    const plan = pods.plan('sidecar', SCENARIO, { protocol: 'tcp' });
    const material = await createMtlsMaterial(SCENARIO.mtls);
    const mtlsPlan = pods.plan('mtls', SCENARIO, { arm: `${proxy}-mtls-ws`, protocol: 'websocket', mtls: material });
    const mtlsTcpPlan = pods.plan('mtls', SCENARIO, { arm: `${proxy}-mtls-tcp`, protocol: 'tcp', mtls: material });
    // Signed by the run's CA with another SPIFFE ID: only the identity check can refuse it.
    const intruderSvid = svidPem(await material.issueFor(workloadSpiffeId(SCENARIO.mtls.trustDomain, SCENARIO.mtls.namespace, 'intruder')));
    const intruderPlan = pods.plan('mtls', SCENARIO, { arm: `${proxy}-intruder-tcp`, protocol: 'tcp', mtls: { ...material, client: { ...material.client, svid: intruderSvid } } });
    // No sidecar, no interception: plain TCP straight to the mTLS server pod.
    const plaintextPlan = { name: `${proxy}-plaintext-client`, side: 'client' as const, containers: [{ role: 'loadgen' as const, image: pods.image('loadgen') }] };
    const started = (await Promise.all(
      [plan.server, plan.client, mtlsPlan.server, mtlsPlan.client, mtlsTcpPlan.server, mtlsTcpPlan.client, intruderPlan.client, plaintextPlan].map((pod) => startPod(pod, pods.context)),
    )) as StartedPod[];
    const [server, client, mtlsServer, mtlsClient, mtlsTcpServer, mtlsTcpClient] = started as [StartedPod, StartedPod, StartedPod, StartedPod, StartedPod, StartedPod];
    [intruderClient, plaintextClient] = started.slice(6) as [StartedPod, StartedPod];
    const record = (name: string) => ({ name, description: '', pods: [] });
    topology = { plan, client, server, record: record('sidecar'), readStats: readStats() };
    mtlsTopology = { plan: mtlsPlan, client: mtlsClient, server: mtlsServer, record: record('mtls'), readStats: readStats() };
    mtlsTcpTopology = { plan: mtlsTcpPlan, client: mtlsTcpClient, server: mtlsTcpServer, record: record('mtls'), readStats: readStats() };
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    expect((await leftovers(docker)).filter((name) => name.includes(pods.resources.runId))).toEqual([]);
  });

  it.each<LoadProtocol>(['websocket', 'tcp'])('proves the %s path with both sidecars’ connection counters, and sees a bypassed client sidecar', async (protocol) => {
    await expect(checkPath(docker, withProtocol(protocol), agentLoadOf(SCENARIO))).resolves.toBeUndefined();
    // As uid 1337 the load escapes the outbound REDIRECT: only the client sidecar's counter can tell.
    const error = (await checkPath(docker, withProtocol(protocol), agentLoadOf(SCENARIO), { user: '1337:1337' }).catch((caught: unknown) => caught)) as BenchError;
    expect(error.code).toBe('SB_PATH_CHECK_FAILED');
    expect(error.details).toStrictEqual([`the client sidecar (outbound) counted 0 of the 1 probe ${protocol} connections: the path bypassed it`]);
  });

  it.each<[LoadProtocol, 'sidecar' | 'mtls']>([
    ['websocket', 'sidecar'],
    ['tcp', 'sidecar'],
    ['websocket', 'mtls'],
    ['tcp', 'mtls'],
  ])('carries %s load at a fixed rate without a failure, through both sidecars of the %s topology', async (protocol, topologyName) => {
    const of = topologyName === 'sidecar' ? topology : protocol === 'tcp' ? mtlsTcpTopology : mtlsTopology;
    const handshakes = (pod: StartedPod, side: 'client' | 'server') => (protocol === 'tcp' ? readTcpTlsHandshakes(proxy, sidecarOf(pod), side) : readTlsHop(proxy, sidecarOf(pod), side).then((hop) => hop.handshakes));
    const tls = async () => (topologyName === 'mtls' ? [{ handshakes: await handshakes(of.client, 'client') }, { handshakes: await handshakes(of.server, 'server') }] : []);
    if (topologyName === 'mtls') await checkPath(docker, of, agentLoadOf(SCENARIO));
    const hops = expectedHops(of.client, of.server);
    const tlsBefore = await tls();
    const before = await readHopRequests(readStats(), hops, 'connections');
    const { event: _event, ...result } = await runLoad(docker, loadgen(of), specFor(of, protocol));
    const after = await readHopRequests(readStats(), hops, 'connections');
    const tlsAfter = await tls();
    // mtls: the agent's 4 connections each opened a TLS connection between the sidecars (handshakes on both ends).
    expect(tlsAfter.map((counters, index) => counters.handshakes - (tlsBefore[index]?.handshakes ?? 0) >= 4)).toStrictEqual(topologyName === 'mtls' ? [true, true] : []);
    expect(failedRequests(result), result.errorMessages.join('; ')).toBe(0);
    // 300/s for 1 s, Poisson: well above 150 echoes, every one whole and in the latency histogram.
    expect(result.okResponses).toBeGreaterThan(150);
    expect(result.statusCodes).toStrictEqual({ echo: result.okResponses });
    expect(decodeHistogram(result.histograms.latencyUs).totalCount).toBe(result.okResponses);
    // The app's time came back in-band with every echo; no proxy header can exist on a message.
    expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: 0, appServiceTime: result.okResponses });
    // The agent's 4 long-lived connections crossed both sidecars.
    expect(hops.map((hop, index) => [hop.label, (after[index] ?? 0) - (before[index] ?? 0) >= 4])).toStrictEqual([
      ['client sidecar (outbound)', true],
      ['server sidecar (inbound)', true],
    ]);
    const setups = result.histograms.connectionSetupUs;
    if (protocol === 'websocket') expect(decodeHistogram(setups as string).totalCount).toBe(4);
    else expect(setups).toBeUndefined();
  });

  it('refuses TCP over mTLS from a plaintext client and from a client sidecar with the wrong SPIFFE ID; neither reaches the app', async () => {
    const appConnections = () => readAppTcpConnections(proxy, sidecarOf(mtlsTcpTopology.server), APP_TCP_PORT);
    const before = await appConnections();
    const spec = { ...specFor(mtlsTcpTopology, 'tcp'), model: 'closed' as const, connections: 1, durationUs: 1_000_000 };
    const loadgenIn = (pod: StartedPod) => pod.containers.find((container) => container.role === 'loadgen')?.id as string;
    for (const client of [plaintextClient, intruderClient]) {
      const { event: _event, ...result } = await runLoad(docker, loadgenIn(client), spec);
      expect({ ok: result.okResponses, failed: failedRequests(result) > 0 }, result.errorMessages.join('; ')).toStrictEqual({ ok: 0, failed: true });
    }
    // The server sidecar forwarded neither to the app's TCP port; a valid client's probe right after does reach it.
    expect(await appConnections()).toBe(before);
    await checkPath(docker, mtlsTcpTopology, agentLoadOf(SCENARIO));
    expect(await appConnections()).toBeGreaterThan(before);
  });
});
