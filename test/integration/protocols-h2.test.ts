/**
 * HTTP/2 (h2c) and gRPC through the sidecars of both proxies, on real pods: the probe crosses both
 * sidecars (their own request counters move), a load succeeds with every request counted by every
 * hop, the per-request estimators get both headers, and one HTTP/2 connection carries 1024
 * concurrent streams without an error. Per proxy: one client pod shared by an HTTP/2 and a gRPC
 * server pod (the client sidecar's outbound config is the same for both; the inbound differs only
 * in the app port).
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResult } from '../../src/load/agent-protocol.js';
import { runLoad } from '../../src/load/run-agent.js';
import { proxyDriver } from '../../src/proxies/registry.js';
import { agentLoadOf } from '../../src/runner/load-spec.js';
import { expectedHops, missingHops, readHopRequests } from '../../src/runner/path-check.js';
import { checkPath, loadgenOf, type StartedTopology } from '../../src/runner/pods-for-run.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { appPortFor, type TopologyPlan } from '../../src/runtime/topology.js';
import { parseScenario, type Scenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();

const scenarioFor = (proxy: string, load: string): Scenario =>
  parseScenario(`topologies: [sidecar]\nproxy: { profile: ${proxy} }\nload: ${load}\nplacement: { cpusets: none }\n`, 'inline.yaml');

describe.skipIf(!dockerode).each(['haproxy', 'envoy'] as const)('HTTP/2 and gRPC through %s sidecars', (proxy) => {
  const docker = dockerode as Dockerode;
  // Closed loop, one connection × 1024 streams: every stream always has a request on the wire.
  const h2 = scenarioFor(proxy, '{ connections: 1, warmup: 500ms, duration: 2s, timeout: 5s, protocol: http2, http2: { streamsPerConnection: 1024 } }');
  const grpc = scenarioFor(proxy, '{ model: open, rate: 200/s, connections: 2, warmup: 500ms, duration: 2s, timeout: 5s, protocol: grpc, grpc: { streamsPerConnection: 8 } }');
  const readStats = proxyDriver(proxy).readStats;
  let pods: TestPods;
  let client: StartedPod;
  const topologies: Partial<Record<'h2' | 'grpc', StartedTopology>> = {};

  beforeAll(async () => {
    pods = await setUpTestPods(docker, `h2-${proxy}`, { proxy });
    const plans: Record<'h2' | 'grpc', TopologyPlan> = { h2: pods.plan('sidecar', h2, { arm: `${proxy}-h2` }), grpc: pods.plan('sidecar', grpc, { arm: `${proxy}-grpc` }) };
    const [h2Server, grpcServer, started] = await Promise.all([startPod(plans.h2.server, pods.context), startPod(plans.grpc.server, pods.context), startPod(plans.h2.client, pods.context)]);
    client = started;
    const record = { name: 'sidecar', description: '', pods: [] };
    topologies.h2 = { plan: plans.h2, client, server: h2Server, record, ...(readStats ? { readStats } : {}) };
    topologies.grpc = { plan: plans.grpc, client, server: grpcServer, record, ...(readStats ? { readStats } : {}) };
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    expect((await leftovers(docker)).filter((name) => name.includes(pods.resources.runId))).toEqual([]);
  });

  /** The probe through both sidecars, then the scenario's load with every hop's counter read around it. */
  async function probeAndLoad(topology: StartedTopology, scenario: Scenario): Promise<{ result: AgentResult; missing: string[] }> {
    if (!readStats) throw new Error(`${proxy} has no stats reader`);
    await checkPath(docker, topology, agentLoadOf(scenario));
    const hops = expectedHops(topology.client, topology.server);
    expect(hops.map((hop) => hop.label)).toStrictEqual(['client sidecar (outbound)', 'server sidecar (inbound)']);
    const before = await readHopRequests(readStats, hops);
    const result = await runLoad(docker, loadgenOf(topology), { ...agentLoadOf(scenario), host: topology.server.ip, port: appPortFor(scenario.load.protocol ?? 'http1'), seed: 1 });
    const after = await readHopRequests(readStats, hops);
    return { result, missing: missingHops(hops, before, after, result.okResponses ?? 0, 'requests') };
  }

  // Runs for both proxies. Its first run (14:07, machine loaded 11–16 on 2 cores) saw only 10 of
  // the 1024 streams cycle through two Envoy sidecars; on a less loaded machine (14:31) Envoy
  // carried all 1024, twice, which an expected-failure marker reported. Kept strict for both.
  it('HTTP/2: one connection carries 1024 concurrent streams through both sidecars without an error; both hops count every request; both estimators get their headers', async () => {
    const { result, missing } = await probeAndLoad(topologies.h2 as StartedTopology, h2);
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
  });

  it('gRPC unary: every call OK (counted by gRPC status) through both sidecars; both hops count every call; both estimators get their metadata', async () => {
    const { result, missing } = await probeAndLoad(topologies.grpc as StartedTopology, grpc);
    const ok = result.okResponses as number;
    expect(result.statusCodes).toStrictEqual({ 'grpc:0': ok });
    expect({ connectionErrors: result.connectionErrors, timeouts: result.timeouts, unanswered: result.unansweredAtEnd }).toStrictEqual({ connectionErrors: 0, timeouts: 0, unanswered: 0 });
    // 200/s for 2 s, all sent on time.
    expect(result.open).toMatchObject({ scheduled: 400, sent: 400, unsent: 0 });
    expect(ok).toBe(400);
    expect(missing).toStrictEqual([]);
    expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: ok, appServiceTime: ok });
  });
});
