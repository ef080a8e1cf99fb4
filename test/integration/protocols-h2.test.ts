/**
 * HTTP/2 (h2c) and gRPC through the sidecars of both proxies, on real pods: the probe crosses both
 * sidecars (their own request counters move), a load succeeds with every request counted by every
 * hop, the per-request estimators get both headers, and one HTTP/2 connection carries 1024
 * concurrent streams without an error. Then the same loads through the mtls topology: h2 over the
 * sidecars' strict mTLS, the TLS hop proven by both sidecars' handshake counters and the client
 * sidecar's HTTP/2 connections (its codec is chosen by ALPN there), and a plaintext h2c client
 * refused at the strict inbound port. Per proxy and topology: one client pod shared by an HTTP/2
 * and a gRPC server pod (the client sidecar's outbound config is the same for both; the inbound
 * differs only in the app port).
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResult } from '../../src/load/agent-protocol.js';
import { runLoad, runProbe } from '../../src/load/run-agent.js';
import type { ProxyExec } from '../../src/proxies/driver.js';
import { proxyDriver } from '../../src/proxies/registry.js';
import { agentLoadOf } from '../../src/runner/load-spec.js';
import { expectedHops, missingHops, readHopRequests } from '../../src/runner/path-check.js';
import { checkPath, loadgenOf, type StartedTopology } from '../../src/runner/pods-for-run.js';
import { createMtlsMaterial } from '../../src/runner/mtls-material.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { appPortFor, type TopologyPlan } from '../../src/runtime/topology.js';
import { parseScenario, type Scenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';
import { readTlsHop, tlsHopDelta, type TlsHopCounters } from '../support/tls-hop.js';

const dockerode = await dockerForTests();

const scenarioFor = (proxy: string, load: string): Scenario =>
  parseScenario(`topologies: [sidecar, mtls]\nproxy: { profile: ${proxy} }\nload: ${load}\nplacement: { cpusets: none }\n`, 'inline.yaml');
/** What the client and the server sidecar counted on the hop between them during one test. */
type PeerHop = { client: TlsHopCounters; server: TlsHopCounters };
/** HTTP/2, closed model over one connection of 1024 streams: every answer 200, all streams busy at the end, every hop counted, both estimators' headers on every answer. */
function expectEveryStreamAnswered(result: AgentResult, missing: readonly string[]): void {
  const ok = result.okResponses as number;
  expect({ connectionErrors: result.connectionErrors, timeouts: result.timeouts, unanswered: result.unansweredAtEnd, statuses: Object.keys(result.statusCodes), errors: result.errorMessages }).toStrictEqual({
    connectionErrors: 0,
    timeouts: 0,
    unanswered: 0,
    statuses: ['200'],
    errors: [],
  });
  // The closed loop re-sends on every answer: when the window closed, all 1024 streams had a request on the wire.
  expect(result.closed?.inFlightAtWindowEnd).toBe(1024);
  expect(ok).toBeGreaterThan(1024);
  expect(missing).toStrictEqual([]);
  expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: ok, appServiceTime: ok });
}

/** gRPC unary at 200/s for 2 s: all 400 calls sent on time and OK by gRPC status, every hop counted, both estimators' metadata on every call. */
function expectEveryCallOk(result: AgentResult, missing: readonly string[]): void {
  const ok = result.okResponses as number;
  expect(result.statusCodes).toStrictEqual({ 'grpc:0': ok });
  expect({ connectionErrors: result.connectionErrors, timeouts: result.timeouts, unanswered: result.unansweredAtEnd }).toStrictEqual({ connectionErrors: 0, timeouts: 0, unanswered: 0 });
  expect(result.open).toMatchObject({ scheduled: 400, sent: 400, unsent: 0 });
  expect(ok).toBe(400);
  expect(missing).toStrictEqual([]);
  expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: ok, appServiceTime: ok });
}

const sidecarOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar')?.handle as ProxyExec;

describe.skipIf(!dockerode).each(['haproxy', 'envoy'] as const)('HTTP/2 and gRPC through %s sidecars', (proxy) => {
  const docker = dockerode as Dockerode;
  // Closed loop, one connection × 1024 streams: every stream always has a request on the wire.
  const h2 = scenarioFor(proxy, '{ connections: 1, warmup: 500ms, duration: 2s, timeout: 5s, protocol: http2, http2: { streamsPerConnection: 1024 } }');
  const grpc = scenarioFor(proxy, '{ model: open, rate: 200/s, connections: 2, warmup: 500ms, duration: 2s, timeout: 5s, protocol: grpc, grpc: { streamsPerConnection: 8 } }');
  const readStats = proxyDriver(proxy).readStats;
  let pods: TestPods;
  let plaintextClient: StartedPod;
  const topologies: Partial<Record<'h2' | 'grpc' | 'mtlsH2' | 'mtlsGrpc', StartedTopology>> = {};

  beforeAll(async () => {
    pods = await setUpTestPods(docker, `h2-${proxy}`, { proxy });
    const material = await createMtlsMaterial(h2.mtls);
    const mtls = { mtls: material };
    const plans: Record<keyof typeof topologies, TopologyPlan> = {
      h2: pods.plan('sidecar', h2, { arm: `${proxy}-h2` }),
      grpc: pods.plan('sidecar', grpc, { arm: `${proxy}-grpc` }),
      mtlsH2: pods.plan('mtls', h2, { arm: `${proxy}-mtls-h2`, ...mtls }),
      mtlsGrpc: pods.plan('mtls', grpc, { arm: `${proxy}-mtls-grpc`, ...mtls }),
    };
    const start = (plan: TopologyPlan['server']) => startPod(plan, pods.context);
    const started = await Promise.all([
      ...[plans.h2.server, plans.grpc.server, plans.h2.client, plans.mtlsH2.server, plans.mtlsGrpc.server, plans.mtlsH2.client].map(start),
      // No sidecar, no interception: h2c straight to the mTLS server pod's strict inbound port.
      start({ name: `${proxy}-plaintext-client`, side: 'client', containers: [{ role: 'loadgen', image: pods.image('loadgen') }] }),
    ]);
    const [h2Server, grpcServer, client, mtlsH2Server, mtlsGrpcServer, mtlsClient] = started as [StartedPod, StartedPod, StartedPod, StartedPod, StartedPod, StartedPod];
    plaintextClient = started[6] as StartedPod;
    const topology = (plan: TopologyPlan, clientPod: StartedPod, server: StartedPod): StartedTopology => ({ plan, client: clientPod, server, record: { name: plan.arm, description: '', pods: [] }, ...(readStats ? { readStats } : {}) });
    topologies.h2 = topology(plans.h2, client, h2Server);
    topologies.grpc = topology(plans.grpc, client, grpcServer);
    topologies.mtlsH2 = topology(plans.mtlsH2, mtlsClient, mtlsH2Server);
    topologies.mtlsGrpc = topology(plans.mtlsGrpc, mtlsClient, mtlsGrpcServer);
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    expect((await leftovers(docker)).filter((name) => name.includes(pods.resources.runId))).toEqual([]);
  });

  /**
   * The probe through both sidecars, then the scenario's load with every hop's counter read around
   * it, and what each sidecar counted on the hop between them (TLS handshakes, HTTP/2 connections).
   */
  async function probeAndLoad(topology: StartedTopology, scenario: Scenario): Promise<{ result: AgentResult; missing: string[]; peerHop?: PeerHop }> {
    if (!readStats) throw new Error(`${proxy} has no stats reader`);
    const tls = topology.plan.definition.peerTls === 'mtls';
    const peerHop = async (): Promise<PeerHop | undefined> =>
      tls ? { client: await readTlsHop(proxy, sidecarOf(topology.client), 'client'), server: await readTlsHop(proxy, sidecarOf(topology.server), 'server') } : undefined;
    const peerBefore = await peerHop();
    await checkPath(docker, topology, agentLoadOf(scenario));
    const hops = expectedHops(topology.client, topology.server);
    expect(hops.map((hop) => hop.label)).toStrictEqual(['client sidecar (outbound)', 'server sidecar (inbound)']);
    const before = await readHopRequests(readStats, hops);
    const result = await runLoad(docker, loadgenOf(topology), { ...agentLoadOf(scenario), host: topology.server.ip, port: appPortFor(scenario.load.protocol ?? 'http1'), seed: 1 });
    const after = await readHopRequests(readStats, hops);
    const peerAfter = await peerHop();
    return {
      result,
      missing: missingHops(hops, before, after, result.okResponses ?? 0, 'requests'),
      ...(peerBefore && peerAfter ? { peerHop: { client: tlsHopDelta(peerBefore.client, peerAfter.client), server: tlsHopDelta(peerBefore.server, peerAfter.server) } } : {}),
    };
  }

  /**
   * The hop between the sidecars of an mtls topology: TLS on both ends, and HTTP/2 on it. The client
   * sidecar's HTTP/2 codec is chosen by ALPN on that hop (HAProxy: `alpn h2` with no `proto`;
   * Envoy: auto_config), so its HTTP/2 connections count only handshakes that negotiated h2.
   */
  function expectH2OverTls(peerHop: PeerHop | undefined) {
    if (!peerHop) throw new Error('no TLS hop between the sidecars');
    const { client, server } = peerHop;
    expect({ clientHandshakes: client.handshakes > 0, serverHandshakes: server.handshakes > 0, clientH2: client.h2Connections > 0, serverH2: server.h2Connections > 0 }, JSON.stringify(peerHop)).toStrictEqual({
      clientHandshakes: true,
      serverHandshakes: true,
      clientH2: true,
      serverH2: true,
    });
    // Every connection the client sidecar opened to its peer negotiated h2: none fell back to HTTP/1.1.
    if (client.http1Connections !== undefined) expect(client.http1Connections).toBe(0);
    // Every HTTP/2 connection to the peer was a TLS connection (one handshake each, full or resumed).
    expect(client.h2Connections).toBeLessThanOrEqual(client.handshakes);
  }

  // Runs for both proxies. Its first run (14:07, machine loaded 11–16 on 2 cores) saw only 10 of
  // the 1024 streams cycle through two Envoy sidecars; on a less loaded machine (14:31) Envoy
  // carried all 1024, twice, which an expected-failure marker reported. Kept strict for both.
  it('HTTP/2: one connection carries 1024 concurrent streams through both sidecars without an error; both hops count every request; both estimators get their headers', async () => {
    const { result, missing } = await probeAndLoad(topologies.h2 as StartedTopology, h2);
    expectEveryStreamAnswered(result, missing);
  });

  it('gRPC unary: every call OK (counted by gRPC status) through both sidecars; both hops count every call; both estimators get their metadata', async () => {
    const { result, missing } = await probeAndLoad(topologies.grpc as StartedTopology, grpc);
    expectEveryCallOk(result, missing);
  });

  it('HTTP/2 over the sidecars’ strict mTLS (ALPN h2): one connection’s 1024 concurrent streams, no error; both hops count every request; the TLS hop carries HTTP/2', async () => {
    const { result, missing, peerHop } = await probeAndLoad(topologies.mtlsH2 as StartedTopology, h2);
    expectEveryStreamAnswered(result, missing);
    expectH2OverTls(peerHop);
  });

  it('gRPC over the sidecars’ strict mTLS (ALPN h2): every call OK; both hops count every call; the TLS hop carries HTTP/2', async () => {
    const { result, missing, peerHop } = await probeAndLoad(topologies.mtlsGrpc as StartedTopology, grpc);
    expectEveryCallOk(result, missing);
    expectH2OverTls(peerHop);
  });

  it('refuses a plaintext h2c client at the strict inbound port of the mTLS server pod; nothing reaches its app', async () => {
    const server = (topologies.mtlsH2 as StartedTopology).server;
    const hop = expectedHops((topologies.mtlsH2 as StartedTopology).client, server).filter((one) => one.label === 'server sidecar (inbound)');
    const before = await readHopRequests(readStats as NonNullable<typeof readStats>, hop);
    const spec = { ...agentLoadOf(h2), model: 'closed' as const, connections: 1, streamsPerConnection: 1, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };
    const probe = runProbe(docker, plaintextClient.containers.find((container) => container.role === 'loadgen')?.id as string, { ...spec, host: server.ip, port: appPortFor('http2') });
    await expect(probe).rejects.toMatchObject({ code: 'SB_LOAD_FAILED' });
    expect(await readHopRequests(readStats as NonNullable<typeof readStats>, hop)).toStrictEqual(before);
  });
});
