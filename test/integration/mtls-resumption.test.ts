import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/run-agent.js';
import { haproxyTlsAdmin } from '../../src/proxies/haproxy/admin.js';
import { createMtlsMaterial } from '../../src/runner/mtls-material.js';
import { watchTls } from '../../src/runner/trial-extras.js';
import { startPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();
const scenario = (resumption: boolean) =>
  parseScenario(`topologies: [mtls-churn]\nload: { connections: 2, duration: 2s }\nplacement: { cpusets: none }\nmtls: { sessionResumption: ${resumption} }\n`, 'inline.yaml');
const LOAD = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 2, warmupUs: 0, durationUs: 2_000_000, timeoutUs: 5_000_000, seed: 1 };

describe.skipIf(!dockerode)('mtls-churn handshakes with and without TLS session resumption (HAProxy)', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'resumption');
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
  });

  /** One churn trial through the runner's own TLS watch: the server sidecar's counters over the load. */
  async function churnTrial(resumption: boolean) {
    const s = scenario(resumption);
    const plan = pods.plan('mtls-churn', s, { arm: `churn-resumption-${resumption}`, mtls: await createMtlsMaterial(s.mtls) });
    const server = await startPod(plan.server, pods.context);
    const client = await startPod(plan.client, pods.context);
    const watch = await watchTls(docker, haproxyTlsAdmin, client, server, undefined);
    const loadgen = client.containers.find((container) => container.role === 'loadgen')?.id as string;
    const load = await runLoad(docker, loadgen, { ...LOAD, host: server.ip, port: APP_PORT });
    return { load, tls: await watch.finish(2) };
  }

  it('off: ~0 % of the handshakes resume, every connection is a full handshake', async () => {
    const { load, tls } = await churnTrial(false);
    expect(load.responses).toBeGreaterThan(50);
    const full = tls.serverFullHandshakes as number;
    const resumed = tls.serverResumedHandshakes as number;
    // One TLS connection per request: the counters saw every one, and none resumed.
    expect(full + resumed).toBeGreaterThanOrEqual(load.responses);
    expect(resumed / (full + resumed)).toBeLessThanOrEqual(0.01);
    expect(full).toBeGreaterThanOrEqual(tls.serverTlsConnections - 2);
  });

  it('on (the default): nearly every handshake resumes the session', async () => {
    const { load, tls } = await churnTrial(true);
    const full = tls.serverFullHandshakes as number;
    const resumed = tls.serverResumedHandshakes as number;
    expect(full + resumed).toBeGreaterThanOrEqual(load.responses);
    // The first connection of each client worker is full; the rest resume.
    expect(resumed / (full + resumed)).toBeGreaterThanOrEqual(0.9);
  });
});
