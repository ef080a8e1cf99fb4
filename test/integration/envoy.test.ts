import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SERVICE_TIME_HEADER, HOP_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../../src/load/headers.js';
import { runProbe } from '../../src/load/run-agent.js';
import { DEFAULT_ENVOY_VERSION } from '../../src/proxies/envoy/versions.js';
import { readEnvoyOverflows } from '../../src/proxies/envoy/limits.js';
import { readEnvoyStats } from '../../src/proxies/envoy/stats.js';
import { createMtlsMaterial } from '../../src/runner/mtls-material.js';
import { startPod, type PodContainerSpec, type StartedPod } from '../../src/runtime/pod.js';
import { APP_PORT, type TopologyPlan } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { validateEnvoySidecar } from '../support/envoy-validate.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();

const scenario = (extra = '') => parseScenario(`topologies: [sidecar]\nproxy: { profile: envoy }\nload: { connections: 1, duration: 1s }\nplacement: { cpusets: none }\n${extra}`, 'inline.yaml');
const SCENARIO = scenario();
const PROBE = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 1, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };
const sidecarsOf = (plan: TopologyPlan): PodContainerSpec[] => [plan.client, plan.server].flatMap((pod) => pod.containers.filter((container) => container.role === 'sidecar'));

describe.skipIf(!dockerode)('Envoy as the sidecar, its image built from the pinned PyPI wheel', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let client: StartedPod;
  let server: StartedPod;
  const loadgenId = () => client.containers.find((container) => container.role === 'loadgen')?.id as string;
  const sidecar = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar')?.handle;
  const probe = (options: { user?: string } = {}) => runProbe(docker, loadgenId(), { ...PROBE, host: server.ip, port: APP_PORT }, options);

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'envoy', { proxy: 'envoy' });
    const plan = pods.plan('sidecar', SCENARIO);
    server = await startPod(plan.server, pods.context);
    client = await startPod(plan.client, pods.context);
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    expect((await leftovers(docker)).filter((name) => name.includes(pods.resources.runId))).toEqual([]);
  });

  it('validates every config a run renders with the real binary (envoy --mode validate), in the image, as uid 1337 with its secrets', async () => {
    const tls12 = scenario('mtls: { tlsVersion: "1.2", cipher: ECDHE-ECDSA-AES128-GCM-SHA256 }\n');
    const material13 = await createMtlsMaterial(SCENARIO.mtls);
    const material12 = await createMtlsMaterial(tls12.mtls);
    const plans: [string, TopologyPlan][] = [
      ['sidecar-inbound', pods.plan('sidecar-inbound', SCENARIO)],
      ['sidecar', pods.plan('sidecar', SCENARIO)],
      ['sidecar, calibrating 500µs', pods.plan('sidecar', SCENARIO, { calibrationDelayUs: 500 })],
      ['sidecar, the app’s TCP port at L4 (tcp_proxy)', pods.plan('sidecar', SCENARIO, { protocol: 'tcp' })],
      ['sidecar, 5000 connections', pods.plan('sidecar', parseScenario('topologies: [sidecar]\nproxy: { profile: envoy }\nload: { connections: 5000, duration: 1s }\n', 'inline.yaml'))],
      ['mtls TLS 1.3', pods.plan('mtls', SCENARIO, { mtls: material13 })],
      ['mtls-churn TLS 1.3', pods.plan('mtls-churn', SCENARIO, { mtls: material13 })],
      ['mtls TLS 1.2 with a cipher', pods.plan('mtls', tls12, { mtls: material12 })],
    ];
    for (const [name, plan] of plans) {
      for (const spec of sidecarsOf(plan)) {
        const result = await validateEnvoySidecar(docker, spec);
        expect({ name, exitCode: result.exitCode, ok: /configuration '\/etc\/sidecar\/envoy\.yaml' OK/.test(result.output) }, result.output).toStrictEqual({ name, exitCode: 0, ok: true });
      }
    }
  });

  it('refuses a config the binary cannot load (the validation can fail)', async () => {
    const [spec] = sidecarsOf(pods.plan('sidecar', SCENARIO));
    const broken = { ...(spec as PodContainerSpec), files: (spec?.files ?? []).map((file) => ({ ...file, content: file.content.replace('lb_policy: CLUSTER_PROVIDED', 'lb_policy: ROUND_ROBIN') })) };
    const result = await validateEnvoySidecar(docker, broken);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/ORIGINAL_DST|CLUSTER_PROVIDED|cluster type/i);
  });

  it('answers through the client outbound and the server inbound Envoy, with Envoy’s own upstream-time header', async () => {
    const answer = await probe();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[APP_SERVICE_TIME_HEADER]).toMatch(/^\d+$/);
    expect(answer.headers[UPSTREAM_SERVICE_TIME_HEADER]).toMatch(/^\d+$/);
    expect(answer.headers[HOP_HEADER]).toBe('inbound, outbound');
  });

  it('lets uid 1337 bypass outbound interception, while inbound interception still applies', async () => {
    const answer = await probe({ user: '1337:1337' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[HOP_HEADER]).toBe('inbound');
  });

  it('counts the requests of each hop in its admin /stats (loopback only)', async () => {
    const serverBefore = await readEnvoyStats(sidecar(server) as NonNullable<ReturnType<typeof sidecar>>);
    const clientBefore = await readEnvoyStats(sidecar(client) as NonNullable<ReturnType<typeof sidecar>>);
    expect((await probe()).statusCode).toBe(200);
    const serverAfter = await readEnvoyStats(sidecar(server) as NonNullable<ReturnType<typeof sidecar>>);
    const clientAfter = await readEnvoyStats(sidecar(client) as NonNullable<ReturnType<typeof sidecar>>);
    expect(serverAfter.inbound.downstreamRqTotal - serverBefore.inbound.downstreamRqTotal).toBeGreaterThanOrEqual(1);
    expect(clientAfter.outbound.downstreamRqTotal - clientBefore.outbound.downstreamRqTotal).toBeGreaterThanOrEqual(1);
    expect(clientAfter.outbound.upstreamRqTotal - clientBefore.outbound.upstreamRqTotal).toBeGreaterThanOrEqual(1);
    // Its circuit-breaker overflow counters are there to read, and nothing overflowed.
    const overflows = await readEnvoyOverflows(sidecar(server) as NonNullable<ReturnType<typeof sidecar>>);
    expect(overflows['cluster.local_app.upstream_rq_pending_overflow']).toBe(0);
    expect(overflows['cluster.original_destination.upstream_cx_overflow']).toBe(0);
    // The admin listener is bound to loopback only (as Istio's): 127.0.0.1:15000 is the only socket listening on 15000.
    const listening = await sidecar(server)?.exec(['bash', '-c', "awk '$4 == \"0A\" && $2 ~ /:3A98$/ { print $2 }' /proc/net/tcp /proc/net/tcp6"]);
    expect(listening?.stdout.trim().split('\n')).toStrictEqual(['0100007F:3A98']);
  });

  it('adds the calibration delay with the relay in its image (addedDelay and calibrate work on Envoy)', async () => {
    const plan = pods.plan('sidecar-inbound', SCENARIO, { arm: 'calibrating', calibrationDelayUs: 20_000 });
    const delayedServer = await startPod(plan.server, pods.context);
    const delayedClient = await startPod(plan.client, pods.context);
    const loadgen = delayedClient.containers.find((container) => container.role === 'loadgen')?.id as string;
    const answer = await runProbe(docker, loadgen, { ...PROBE, host: delayedServer.ip, port: APP_PORT });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[HOP_HEADER]).toBe('inbound');
    // Envoy's upstream time (whole ms) includes the relay's 20 ms hold; the app itself answers at once.
    expect(Number(answer.headers[UPSTREAM_SERVICE_TIME_HEADER])).toBeGreaterThanOrEqual(20);
    expect(Number(answer.headers[APP_SERVICE_TIME_HEADER])).toBeLessThan(20_000);
  });

  it('runs the pinned default release as uid 1337', async () => {
    const handle = sidecar(server);
    const version = await handle?.exec(['envoy', '--version']);
    expect(version?.stdout).toContain(`/${DEFAULT_ENVOY_VERSION}/`);
    const uid = await handle?.exec(['bash', '-c', 'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = envoy ] && stat -c "%u %g" $p; done']);
    expect(uid?.stdout.trim()).toBe('1337 1337');
    const capabilities = await handle?.exec(['bash', '-c', 'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = envoy ] && grep CapEff $p/status; done']);
    expect(capabilities?.stdout.trim()).toBe('CapEff:\t0000000000000000');
  });
});
