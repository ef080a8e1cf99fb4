import { readlink, readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOP_HEADER, UPSTREAM_SERVICE_TIME_HEADER, APP_SERVICE_TIME_HEADER } from '../../src/load/headers.js';
import { runProbe } from '../../src/load/run-agent.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();

const SCENARIO = parseScenario(
  'topologies: [sidecar]\nload: { connections: 1, duration: 1s }\nplacement: { cpusets: none }\n',
  'inline.yaml',
);
const PROBE = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 1, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };

describe.skipIf(!dockerode)('a pod intercepts traffic the way Kubernetes + istio-init do', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let client: StartedPod;
  let server: StartedPod;
  const loadgenId = () => client.containers.find((container) => container.role === 'loadgen')?.id as string;
  const probe = (options: { user?: string } = {}) => runProbe(docker, loadgenId(), { ...PROBE, host: server.ip, port: APP_PORT }, options);

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'pods');
    const plan = pods.plan('sidecar', SCENARIO);
    server = await startPod(plan.server, pods.context);
    client = await startPod(plan.client, pods.context);
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    const left = (await leftovers(docker)).filter((name) => name.includes(pods.resources.runId));
    expect(left).toEqual([]);
  });

  it('answers a request to the app port through the client outbound and the server inbound proxy', async () => {
    const answer = await probe();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[APP_SERVICE_TIME_HEADER]).toMatch(/^\d+$/);
    expect(answer.headers[UPSTREAM_SERVICE_TIME_HEADER]).toMatch(/^\d+$/);
    // Each hop appends itself on the way back: the server's inbound proxy first, then the client's outbound.
    expect(answer.headers[HOP_HEADER]).toBe('inbound, outbound');
  });

  it('lets the proxy uid 1337 bypass outbound interception, while inbound interception still applies', async () => {
    const answer = await probe({ user: '1337:1337' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[HOP_HEADER]).toBe('inbound');
  });

  it('leaves loopback-to-loopback traffic alone (the app answers itself without a proxy)', async () => {
    const app = server.containers.find((container) => container.role === 'app');
    const result = await app?.handle.exec([
      'node',
      '-e',
      `require('http').get('http://127.0.0.1:${APP_PORT}/', (r) => { console.log(r.headers['${HOP_HEADER}'] ?? 'no-hop'); r.resume(); })`,
    ]);
    expect(result?.exitCode).toBe(0);
    expect(result?.output.trim()).toBe('no-hop');
  });

  it('installs the redirect rules from the init container and removes that container', async () => {
    for (const pod of [client, server]) {
      expect(pod.interceptionTable).toContain('-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 15006');
      expect(pod.interceptionTable).toContain('-A SIDECAR_OUTBOUND -m owner --uid-owner 1337 -j RETURN');
      expect(pod.interceptionTable).toContain('-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports 15001');
    }
    const inits = await docker.listContainers({ all: true, filters: { label: [`io.sidecar-bench.run-id=${pods.resources.runId}`, 'io.sidecar-bench.role=init'] } });
    expect(inits).toEqual([]);
  });

  it('puts every container of a pod in the pause container’s network namespace', async () => {
    for (const pod of [client, server]) {
      const namespaces = await Promise.all(pod.containers.map((container) => readlink(`/proc/${container.hostPid}/ns/net`)));
      expect(new Set(namespaces).size).toBe(1);
    }
    const [clientNs, serverNs] = await Promise.all([client, server].map((pod) => readlink(`/proc/${pod.containers[0]?.hostPid}/ns/net`)));
    expect(clientNs).not.toBe(serverNs);
  });

  it('runs the sidecar as uid/gid 1337 with no added capabilities', async () => {
    for (const pod of [client, server]) {
      const sidecar = pod.containers.find((container) => container.role === 'sidecar');
      expect(sidecar).toBeDefined();
      const info = await docker.getContainer(sidecar?.id as string).inspect();
      expect(info.Config.User).toBe('1337:1337');
      expect(info.HostConfig.CapAdd ?? []).toEqual([]);
      expect(info.HostConfig.Privileged).toBe(false);
      const status = await readFile(`/proc/${sidecar?.hostPid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+1337\s+1337\s+1337\s+1337$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
    }
  });
});
