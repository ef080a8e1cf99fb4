import type Dockerode from 'dockerode';
import type { StartedTestContainer } from 'testcontainers';
import { Wait } from 'testcontainers';
import { BenchError, describeError } from '../errors.js';
import { dockerResources, kubeletLinuxResources, sameSysctlValue, sysctlPath, type ContainerResources, type LinuxContainerResources } from '../kubernetes/index.js';
import type { ContainerRole } from '../results/schema.js';
import { readContainerLog } from './container-logs.js';
import { secretArchive, type SecretEntry, type SecretFile } from './secret-archive.js';
import { PodContainer } from './pod-container.js';
import { POD_LABEL, type RunResources } from './run-resources.js';

export type { SecretEntry, SecretFile };

export interface PodContainerSpec {
  role: Exclude<ContainerRole, 'pause'>;
  image: string;
  command?: string[];
  user?: string;
  environment?: Record<string, string>;
  files?: { content: string; target: string }[];
  /** Private material (keys): owner-only files, in this container only. */
  secretFiles?: SecretEntry[];
  /** A shell command that succeeds once the container serves (run inside it). */
  readinessCommand?: string;
  /** Kubernetes requests/limits, applied to the container's cgroup as the kubelet maps them. */
  resources?: ContainerResources;
}

export interface PodSpec {
  /** Unique within the run, e.g. "sidecar-server". */
  name: string;
  side: 'client' | 'server';
  containers: PodContainerSpec[];
  /** iptables-restore rules the init container installs; absent means no interception. */
  interceptionRules?: string;
  /** cpuset for every container of the pod, e.g. "1". */
  cpus?: string;
  /** Network-namespace sysctls, set on the pause container that owns the namespace. */
  sysctls?: Record<string, string>;
}

export interface PodContext {
  dockerode: Dockerode;
  resources: RunResources;
  networkName: string;
  pauseImage: string;
  initImage: string;
  startupTimeoutMs: number;
}

export interface RunningContainer {
  name: string;
  role: ContainerRole;
  image: string;
  id: string;
  hostPid: number;
  handle: StartedTestContainer;
  /** The Kubernetes resources it runs with and the cgroup settings they became; absent: unconstrained. */
  resources?: ContainerResources & { cgroup: LinuxContainerResources };
}

export interface StartedPod {
  name: string;
  side: 'client' | 'server';
  ip: string;
  cpus?: string;
  /** What the init container printed: the nat table as installed. */
  interceptionTable?: string;
  /** The network sysctls as read back from inside the pod (keys as set on the pause container). */
  sysctls?: Record<string, string>;
  containers: RunningContainer[];
}

/** The engine's name of a pod's container: "sb-<run id>-<pod>-<role>". */
export function podContainerName(runId: string, podName: string, role: ContainerRole | 'init'): string {
  return `${podPrefix(runId, podName)}-${role}`;
}

function podPrefix(runId: string, podName: string): string {
  return `sb-${runId}-${podName}`;
}

/** Starts a pod the way Kubernetes does: pause owns the netns, init intercepts, then the rest join. */
export async function startPod(spec: PodSpec, context: PodContext): Promise<StartedPod> {
  const prefix = podPrefix(context.resources.runId, spec.name);
  const hostConfig: Partial<Dockerode.HostConfig> = {
    ...(spec.cpus ? { CpusetCpus: spec.cpus } : {}),
  };
  const labels = { ...context.resources.labels, [POD_LABEL]: spec.name };

  const pause = await start(
    new PodContainer(context.pauseImage)
      .withName(`${prefix}-pause`)
      .withLabels({ ...labels, 'io.sidecar-bench.role': 'pause' })
      .withNetworkMode(context.networkName)
      .withHostConfig({ ...hostConfig, ...(spec.sysctls ? { Sysctls: spec.sysctls } : {}) })
      .withStartupTimeout(context.startupTimeoutMs),
    `${spec.name}: pause container`,
    context.dockerode,
    `${prefix}-pause`,
  );
  const ip = pause.getIpAddress(context.networkName);
  const netns = `container:${pause.getId()}`;

  const interceptionTable = spec.interceptionRules ? await runInit(spec, context, prefix, labels, netns) : undefined;

  const containers: RunningContainer[] = [await describe(context.dockerode, pause, 'pause', context.pauseImage)];
  for (const containerSpec of spec.containers) {
    const cgroup = containerSpec.resources ? kubeletLinuxResources(containerSpec.resources) : undefined;
    let container = new PodContainer(containerSpec.image)
      .withName(`${prefix}-${containerSpec.role}`)
      .withLabels({ ...labels, 'io.sidecar-bench.role': containerSpec.role })
      .withNetworkMode(netns)
      .withHostConfig({ ...hostConfig, ...(cgroup ? dockerResources(cgroup) : {}) })
      .withStartupTimeout(context.startupTimeoutMs);
    if (containerSpec.command) container = container.withCommand(containerSpec.command);
    if (containerSpec.user) container = container.withUser(containerSpec.user);
    if (containerSpec.environment) container = container.withEnvironment(containerSpec.environment);
    if (containerSpec.files) container = container.withCopyContentToContainer(containerSpec.files.map((file) => ({ ...file, mode: 0o644 })));
    if (containerSpec.secretFiles) {
      // The engine keeps the tar headers' owner (copyUIDGID would look the container's "uid:gid" user up
      // as a name in /etc/passwd and fail on Docker 20.10).
      container = container.withCopyArchivesToContainer([{ tar: secretArchive(containerSpec.secretFiles), target: '/' }]);
    }
    // Exposed ports are refused in a shared netns, so readiness is a command run inside.
    if (containerSpec.readinessCommand) container = container.withWaitStrategy(Wait.forSuccessfulCommand(containerSpec.readinessCommand));
    const started = await start(container, `${spec.name}: ${containerSpec.role} container (${containerSpec.image})`, context.dockerode, `${prefix}-${containerSpec.role}`);
    const running = await describe(context.dockerode, started, containerSpec.role, containerSpec.image);
    containers.push(containerSpec.resources && cgroup ? { ...running, resources: { ...containerSpec.resources, cgroup } } : running);
  }
  const sysctls = spec.sysctls && Object.keys(spec.sysctls).length > 0 ? await readBackSysctls(spec, containers) : undefined;
  return { name: spec.name, side: spec.side, ip, ...(spec.cpus ? { cpus: spec.cpus } : {}), ...(interceptionTable ? { interceptionTable } : {}), ...(sysctls ? { sysctls } : {}), containers };
}

/**
 * Reads the pod's sysctls from inside it (a container that joined the pause container's netns)
 * and checks each is what was set: proof the setting reached the namespace the traffic uses.
 */
async function readBackSysctls(spec: PodSpec, containers: readonly RunningContainer[]): Promise<Record<string, string>> {
  const names = Object.keys(spec.sysctls ?? {});
  const inside = containers.find((container) => container.role !== 'pause');
  if (!inside) throw new Error(`pod ${spec.name} has no container to read its sysctls from`);
  const result = await inside.handle.exec(['cat', ...names.map(sysctlPath)]);
  const lines = result.stdout.split('\n');
  const problems: string[] = [];
  const readBack: Record<string, string> = {};
  names.forEach((name, index) => {
    const value = (lines[index] ?? '').trim();
    readBack[name] = value.split(/\s+/).join(' ');
    const wanted = spec.sysctls?.[name] ?? '';
    if (result.exitCode !== 0 || !sameSysctlValue(wanted, value)) problems.push(`${name} reads "${value}" inside the pod, expected "${wanted}"`);
  });
  if (problems.length > 0) {
    throw new BenchError('SB_CONTAINER_FAILED', `${spec.name}: the pod's sysctls are not as set on its pause container:`, problems, 'The kernel may not keep these sysctls per network namespace.');
  }
  return readBack;
}

async function runInit(spec: PodSpec, context: PodContext, prefix: string, labels: Record<string, string>, netns: string): Promise<string> {
  const init = await start(
    new PodContainer(context.initImage)
      .withName(`${prefix}-init`)
      .withLabels({ ...labels, 'io.sidecar-bench.role': 'init' })
      .withNetworkMode(netns)
      .withAddedCapabilities('NET_ADMIN', 'NET_RAW')
      .withEnvironment({ INTERCEPTION_RULES: spec.interceptionRules as string })
      .withWaitStrategy(Wait.forOneShotStartup())
      .withStartupTimeout(context.startupTimeoutMs),
    `${spec.name}: init container (interception rules)`,
    context.dockerode,
    `${prefix}-init`,
  );
  const table = (await readContainerLog(context.dockerode, init.getId())).join('\n');
  // Kubernetes keeps finished init containers; nothing here needs them, so they go at once.
  await init.stop({ remove: true, timeout: 0 });
  return table;
}


async function start(container: PodContainer, what: string, dockerode: Dockerode, name: string): Promise<StartedTestContainer> {
  try {
    return await container.start();
  } catch (error) {
    const logTail = await readContainerLog(dockerode, name, 8);
    throw new BenchError(
      'SB_CONTAINER_FAILED',
      `could not start ${what}: ${describeError(error)}`,
      logTail.length > 0 ? ['last lines of its log:', ...logTail] : [],
      'Run with DEBUG=testcontainers* for the engine conversation; `sidecar-bench doctor` checks the host.',
      { cause: error },
    );
  }
}


async function describe(dockerode: Dockerode, handle: StartedTestContainer, role: ContainerRole, image: string): Promise<RunningContainer> {
  const info = await dockerode.getContainer(handle.getId()).inspect();
  return { name: handle.getName().replace(/^\//, ''), role, image, id: handle.getId(), hostPid: info.State.Pid, handle };
}
