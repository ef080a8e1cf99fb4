import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImages, type BuiltImage } from '../../src/images/index.js';
import { BPF_NAME_PREFIX, BpfSession, counterDelta, planAttachments, readBpfInventory, type BpfAttachment, type BpfInventory } from '../../src/interception/index.js';
import { APP_SERVICE_TIME_HEADER, HOP_HEADER } from '../../src/load/headers.js';
import { runLoad, runProbe } from '../../src/load/run-agent.js';
import { readResults } from '../../src/results/index.js';
import { startPod, type StartedPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { CLI, PROJECT_DIR } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';
import { testProgress } from '../support/progress.js';

const dockerode = await dockerForTests();

const SCENARIO = parseScenario('topologies: [ebpf]\nload: { connections: 2, duration: 1s }\nplacement: { cpusets: none }\n', 'inline.yaml');
const LOAD = { model: 'closed' as const, method: 'GET' as const, path: '/', requestBodyBytes: 0, connections: 2, warmupUs: 0, durationUs: 1_000_000, timeoutUs: 5_000_000 };

/** sidecar-bench's BPF programs and maps that exist now and did not before. */
function newObjects(before: BpfInventory, after: BpfInventory): string[] {
  const known = new Set([...before.programs.map((program) => `prog ${program.id}`), ...before.maps.map((map) => `map ${map.id}`)]);
  return [
    ...after.programs.filter((program) => program.name?.startsWith(BPF_NAME_PREFIX)).map((program) => `prog ${program.id} ${program.name}`),
    ...after.maps.filter((map) => map.name?.startsWith(BPF_NAME_PREFIX)).map((map) => `map ${map.id} ${map.name}`),
  ].filter((entry) => !known.has(entry.split(' ').slice(0, 2).join(' ')));
}

async function ebpfImage(docker: Dockerode): Promise<string> {
  const { images } = await ensureImages({ dockerode: docker, progress: testProgress, names: ['ebpf'] });
  return (images.ebpf as BuiltImage).tag;
}

describe.skipIf(!dockerode)('the ebpf topology on real containers', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let client: StartedPod;
  let server: StartedPod;
  let session: BpfSession;
  let attachments: BpfAttachment[];
  let image: string;
  let before: BpfInventory;
  const loadgenId = () => client.containers.find((container) => container.role === 'loadgen')?.id as string;

  beforeAll(async () => {
    image = await ebpfImage(docker);
    before = await readBpfInventory(docker, image);
    pods = await setUpTestPods(docker, 'ebpf');
    const plan = pods.plan('ebpf', SCENARIO);
    server = await startPod(plan.server, pods.context);
    client = await startPod(plan.client, pods.context);
    session = await BpfSession.open({ dockerode: docker, resources: pods.resources, image, keeperImage: pods.image('pause') });
    attachments = await planAttachments({ sockmap: true, connect: true }, [...client.containers, ...server.containers]);
    await session.attach('ebpf', attachments);
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    const after = await readBpfInventory(docker, image);
    expect(newObjects(before, after)).toEqual([]);
    expect(after.cgroupAttachments.filter((attachment) => attachment.programName?.startsWith(BPF_NAME_PREFIX))).toEqual([]);
    const { Volumes: volumes } = await docker.listVolumes({ filters: { label: [`io.sidecar-bench.run-id=${pods.resources.runId}`] } });
    expect(volumes ?? []).toEqual([]);
  });

  it('answers through both sidecars, and every counter of both mechanisms moves', async () => {
    const countersBefore = await session.counters('ebpf');
    const probe = await runProbe(docker, loadgenId(), { ...LOAD, host: server.ip, port: APP_PORT });
    expect(probe.statusCode).toBe(200);
    expect(probe.headers[APP_SERVICE_TIME_HEADER]).toMatch(/^\d+$/);
    expect(probe.headers[HOP_HEADER]).toBe('inbound, outbound');
    const load = await runLoad(docker, loadgenId(), { ...LOAD, host: server.ip, port: APP_PORT });
    expect(load.responses).toBeGreaterThan(10);
    expect(load.connectionErrors + load.timeouts).toBe(0);
    const delta = counterDelta(countersBefore, await session.counters('ebpf'));
    // Three connections per client connection (loadgen→sidecar, sidecar→sidecar, sidecar→app), each paired.
    expect(delta.socketPairs).toBeGreaterThanOrEqual(3);
    // Every request and response crosses three socket pairs.
    expect(delta.messagesRedirected).toBeGreaterThanOrEqual(6 * load.responses);
    expect(delta.bytesRedirected).toBeGreaterThan(0);
    // A message sent after its peer closed (the agent's connections end mid-request) falls back to TCP.
    expect(delta.redirectsFailed).toBeLessThanOrEqual(3 * 2 * LOAD.connections);
    expect(delta.connectsRewritten).toBeGreaterThanOrEqual(LOAD.connections);
    expect(delta.originalDstAnswered).toBe(delta.connectsRewritten);
    expect(delta.originalDstMissed).toBe(0);
  });

  it('installs no outbound NAT REDIRECT in the client pod (connect4 replaces it) and keeps the inbound one', () => {
    for (const pod of [client, server]) {
      // Docker's embedded DNS keeps its own DNAT in OUTPUT; the only REDIRECT is the inbound one.
      const redirects = (pod.interceptionTable ?? '').split('\n').filter((line) => /REDIRECT|SIDECAR_OUTBOUND/.test(line));
      expect(redirects).toEqual(['-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 15006']);
    }
  });

  it('leaves the proxy uid’s connects alone, as the iptables owner match did', async () => {
    const answer = await runProbe(docker, loadgenId(), { ...LOAD, host: server.ip, port: APP_PORT }, { user: '1337:1337' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers[HOP_HEADER]).toBe('inbound');
  });

  it('attaches to the pods’ own cgroups only', async () => {
    const now = await readBpfInventory(docker, image);
    const ours = now.cgroupAttachments.filter((attachment) => attachment.programName?.startsWith(BPF_NAME_PREFIX));
    const attachType = { sockops: 'cgroup_sock_ops', 'sockops-origin': 'cgroup_sock_ops', connect4: 'cgroup_inet4_connect', getsockopt: 'cgroup_getsockopt' } as const;
    const expected = attachments.map((attachment) => `${attachment.cgroup} ${attachType[attachment.kind]}`).sort();
    expect(ours.map((attachment) => `${attachment.cgroup} ${attachment.attachType}`).sort()).toEqual(expected);
    const podCgroups = new Set(attachments.map((attachment) => attachment.cgroup));
    expect(ours.every((attachment) => podCgroups.has(attachment.cgroup))).toBe(true);
  });
});

describe.skipIf(!dockerode).each([
  { topology: 'ebpf-sockmap' as const, mechanisms: { sockmap: true, connect: false } },
  { topology: 'ebpf-connect' as const, mechanisms: { sockmap: false, connect: true } },
])('$topology alone', ({ topology, mechanisms }) => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let client: StartedPod;
  let server: StartedPod;
  let session: BpfSession;

  beforeAll(async () => {
    const image = await ebpfImage(docker);
    pods = await setUpTestPods(docker, topology);
    const plan = pods.plan(topology, SCENARIO);
    server = await startPod(plan.server, pods.context);
    client = await startPod(plan.client, pods.context);
    session = await BpfSession.open({ dockerode: docker, resources: pods.resources, image, keeperImage: pods.image('pause') });
    await session.attach(topology, await planAttachments(mechanisms, [...client.containers, ...server.containers]));
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
  });

  it('moves only its own counters, with the other mechanism’s path left to iptables', async () => {
    const loadgen = client.containers.find((container) => container.role === 'loadgen')?.id as string;
    const countersBefore = await session.counters(topology);
    const load = await runLoad(docker, loadgen, { ...LOAD, host: server.ip, port: APP_PORT });
    expect(load.responses).toBeGreaterThan(10);
    expect(load.connectionErrors + load.timeouts).toBe(0);
    const delta = counterDelta(countersBefore, await session.counters(topology));
    if (mechanisms.sockmap) {
      // Paired through the outbound and inbound REDIRECTs: every hop of request and response.
      expect(client.interceptionTable).toContain('-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports 15001');
      expect(delta.messagesRedirected).toBeGreaterThanOrEqual(6 * load.responses);
      expect(delta.messagesPassed).toBe(0);
      expect(delta.connectsRewritten).toBe(0);
    } else {
      expect(client.interceptionTable).not.toContain('SIDECAR_OUTBOUND');
      expect(delta.connectsRewritten).toBeGreaterThanOrEqual(LOAD.connections);
      expect(delta.originalDstAnswered).toBe(delta.connectsRewritten);
      expect(delta.messagesRedirected).toBe(0);
      expect(delta.socketsAdded).toBe(0);
    }
  });
});

describe.skipIf(!dockerode)('Ctrl-C during an ebpf run', () => {
  it('detaches and unpins every program, removes the bpffs volume, exits 130', async () => {
    const docker = dockerode as Dockerode;
    const image = await ebpfImage(docker);
    const before = await readBpfInventory(docker, image);
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-ebpf-sigint-'));
    const reportsDir = join(work, 'reports');
    await writeFile(join(work, 'scenario.yaml'), 'name: ebpf-interrupted\ntopologies: [ebpf]\nload: { model: open, rate: 200/s, connections: 4, warmup: 1s, duration: 6s }\ntrials: 2\nwarmupRounds: 0\n');
    const child = execa('node', [CLI, 'run', join(work, 'scenario.yaml'), '--reports-dir', reportsDir], { cwd: PROJECT_DIR, reject: false, all: true });
    let output = '';
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`second trial never started:\n${output}`)), 240_000);
      child.all?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Trial 2\/2: ebpf/.test(output)) {
          clearTimeout(timer);
          setTimeout(resolve, 2500);
        }
      });
    });
    // Programs are attached while the second trial runs.
    const during = await readBpfInventory(docker, image);
    expect(newObjects(before, during).length).toBeGreaterThan(0);
    runId = /sb-(\d{14}-[0-9a-f]{4})-/.exec(JSON.stringify(await docker.listContainers({ filters: { label: ['io.sidecar-bench.role=bpffs-keeper'] } })))?.[1] ?? '';
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    expect(result.all).toContain('detached and unpinned every eBPF program');
    const after = await readBpfInventory(docker, image);
    expect(newObjects(before, after)).toEqual([]);
    expect(after.cgroupAttachments.filter((attachment) => attachment.programName?.startsWith(BPF_NAME_PREFIX))).toEqual([]);
    expect(runId).not.toBe('');
    const { Volumes: volumes } = await docker.listVolumes({ filters: { label: [`io.sidecar-bench.run-id=${runId}`] } });
    expect(volumes ?? []).toEqual([]);
    const left = await docker.listContainers({ all: true, filters: { label: [`io.sidecar-bench.run-id=${runId}`] } });
    expect(left).toEqual([]);

    const [folder] = await readdir(reportsDir);
    const results = await readResults(join(reportsDir, folder as string, 'results.json'));
    expect(results.run.status).toBe('interrupted');
    const [first] = results.trials;
    expect(first?.state).toBe('ok');
    if (first?.state === 'ok') expect(first.bpf?.counters.messagesRedirected).toBeGreaterThan(0);
  });
});
