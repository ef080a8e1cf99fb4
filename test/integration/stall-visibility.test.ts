import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/hdr/histogram.js';
import type { AgentResult } from '../../src/load/agent-protocol.js';
import { runLoad } from '../../src/load/run-agent.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();
const SCENARIO = parseScenario('topologies: [sidecar-inbound]\nload: { connections: 1, duration: 1s }\n', 'inline.yaml');
const STALL_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!dockerode)('a stalled sidecar cannot hide (open model, coordinated omission)', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let client: StartedPod;
  let server: StartedPod;
  let result: AgentResult;

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'stall');
    const plan = pods.plan('sidecar-inbound', SCENARIO, { clientCpus: '0', serverCpus: '1' });
    server = await startPod(plan.server, pods.context);
    client = await startPod(plan.client, pods.context);

    const loadgen = client.containers.find((container) => container.role === 'loadgen')?.id as string;
    const sidecarPid = server.containers.find((container) => container.role === 'sidecar')?.hostPid as number;
    // 500/s for 8 s measured = 4000 requests; 2 connections, so at most 2 requests are on the wire
    // when the proxy freezes: 0.05 % of the sample, below what P99.9 looks at.
    const load = runLoad(docker, loadgen, {
      model: 'open',
      ratePerSecond: 500,
      host: server.ip,
      port: APP_PORT,
      method: 'GET',
      path: '/',
      requestBodyBytes: 0,
      connections: 2,
      warmupUs: 1_000_000,
      durationUs: 8_000_000,
      timeoutUs: 10_000_000,
    });
    await sleep(4_000);
    process.kill(sidecarPid, 'SIGSTOP');
    await sleep(STALL_MS);
    process.kill(sidecarPid, 'SIGCONT');
    result = await load;
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
  });

  it('sends every scheduled request and loses none', () => {
    expect(result.open?.scheduled).toBe(4000);
    expect(result.open?.unsent).toBe(0);
    expect(result.responses).toBe(4000);
    expect(result.connectionErrors + result.timeouts).toBe(0);
  });

  it('shows the stall in the corrected P99.9 (≥ 400 ms) while the uncorrected P99.9 stays far lower', () => {
    const correctedP999Us = decodeHistogram(result.histograms.latencyUs).getValueAtPercentile(99.9);
    const uncorrectedP999Us = decodeHistogram(result.histograms.uncorrectedLatencyUs as string).getValueAtPercentile(99.9);
    expect(correctedP999Us).toBeGreaterThanOrEqual(400_000);
    expect(uncorrectedP999Us).toBeLessThan(correctedP999Us / 10);
  });

  it('counts the requests that waited for a connection during the stall and shows their send lag', () => {
    expect(result.open?.waitedForConnection).toBeGreaterThan(200);
    expect(decodeHistogram(result.histograms.sendLagUs as string).maxValue).toBeGreaterThanOrEqual(400_000);
  });

  it('does not charge the requests for GC pauses of its own: the agent collected no garbage while it measured', () => {
    expect(result.loadgenGc).toEqual({ pauses: 0, totalMs: 0, maxMs: 0 });
  });
});
