import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { BenchError, describeError } from '../errors.js';
import { demultiplex } from '../runtime/container-logs.js';
import type { RunResources } from '../runtime/run-resources.js';
import { parseCounterDump, type BpfCounters } from './ebpf-counters.js';
import type { BpfMechanisms } from './types.js';

/** One program attached to one container's cgroup. */
export interface BpfAttachment {
  /** sockops-origin: the connect mechanism's bookkeeping alone (no sockhash), when sockmap is off. */
  kind: 'sockops' | 'sockops-origin' | 'connect4' | 'getsockopt';
  /** Container name, for the record. */
  container: string;
  /** Path in the cgroup v2 hierarchy, e.g. "docker/3f2a…" (from /proc/PID/cgroup's "0::" line). */
  cgroup: string;
}

/** A container of a started pod, as far as attachment cares. */
export interface BpfTarget {
  name: string;
  role: string;
  hostPid: number;
}

/**
 * Where each mechanism attaches: sockops on every container that holds a socket of the request
 * path (load generator, sidecars, app), connect4 on the apps (whose outbound connects it steers)
 * with sockops-origin when sockops is not there anyway, getsockopt on the sidecars (which ask
 * SO_ORIGINAL_DST). Never on a cgroup outside the run's pods.
 */
export async function planAttachments(mechanisms: BpfMechanisms, targets: readonly BpfTarget[], procRoot = '/proc'): Promise<BpfAttachment[]> {
  const attachments: BpfAttachment[] = [];
  for (const target of targets) {
    if (target.role === 'pause') continue;
    const cgroup = await unifiedCgroupOf(target.hostPid, procRoot);
    const app = target.role === 'app' || target.role === 'loadgen';
    if (mechanisms.sockmap) attachments.push({ kind: 'sockops', container: target.name, cgroup });
    else if (mechanisms.connect && app) attachments.push({ kind: 'sockops-origin', container: target.name, cgroup });
    if (mechanisms.connect && app) attachments.push({ kind: 'connect4', container: target.name, cgroup });
    if (mechanisms.connect && target.role === 'sidecar') attachments.push({ kind: 'getsockopt', container: target.name, cgroup });
  }
  return attachments;
}

/** The process's cgroup v2 path relative to the hierarchy root, from /proc/PID/cgroup ("0::/docker/<id>"). */
export async function unifiedCgroupOf(hostPid: number, procRoot = '/proc'): Promise<string> {
  const text = await readFile(`${procRoot}/${hostPid}/cgroup`, 'utf8');
  const line = text.split('\n').find((entry) => entry.startsWith('0::'));
  const path = line?.slice(3).replace(/^\/+/, '');
  if (!path) {
    throw new BenchError('SB_BPF_FAILED', `process ${hostPid} is in no cgroup v2 directory (${procRoot}/${hostPid}/cgroup has no "0::" line)`, [], 'The ebpf topologies attach to cgroup v2: use a host with the unified hierarchy (pure v2 or hybrid).');
  }
  return path;
}

export interface BpfSessionOptions {
  dockerode: Dockerode;
  resources: RunResources;
  /** The ebpf image (docker/ebpf): compiled object + bpftool + sb-bpf loader script. */
  image: string;
  /** The pause image, which holds the run's bpffs volume mounted between loader steps. */
  keeperImage: string;
}

/**
 * The run's eBPF programs. A run-specific bpffs (a Docker volume of type bpf, kept mounted by a
 * do-nothing keeper container) holds the pins under /<arm>/; every step (load + attach, read
 * counters, detach + unpin) is a short-lived loader container with SYS_ADMIN + NET_ADMIN, seccomp
 * unconfined and the host cgroup namespace (privileged mode is not needed). `close()` detaches and
 * unpins every arm; RunResources calls it before removing containers, and removing the keeper and
 * the volume drops any pin a hard kill left behind.
 */
export class BpfSession {
  private readonly arms = new Map<string, BpfAttachment[]>();
  private loaderCount = 0;
  private closed = false;

  private constructor(
    private readonly options: BpfSessionOptions,
    readonly volumeName: string,
  ) {}

  /** Creates the run's bpffs volume and its keeper, and registers the teardown with the run's resources. */
  static async open(options: BpfSessionOptions): Promise<BpfSession> {
    const { dockerode, resources } = options;
    const volumeName = `sb-${resources.runId}-bpffs`;
    await dockerode.createVolume({ Name: volumeName, Driver: 'local', DriverOpts: { type: 'bpf', device: 'bpf' }, Labels: resources.labels });
    const session = new BpfSession(options, volumeName);
    resources.beforeRemove(async () => session.close());
    const keeper = await dockerode.createContainer({
      name: `sb-${resources.runId}-bpffs`,
      Image: options.keeperImage,
      Labels: { ...resources.labels, 'io.sidecar-bench.role': 'bpffs-keeper' },
      HostConfig: { Binds: [`${volumeName}:/sys/fs/bpf`], NetworkMode: 'none' },
    });
    await keeper.start();
    return session;
  }

  /** Loads the object for one arm (pinned under /<arm>/), attaches sk_msg and every attachment. */
  async attach(arm: string, attachments: readonly BpfAttachment[]): Promise<void> {
    this.arms.set(arm, [...attachments]);
    await this.loader(['setup', arm, ...attachments.map((attachment) => `${attachment.kind}=${attachment.cgroup}`)], `load and attach the eBPF programs of ${arm}`);
  }

  /** The arm's counters now (running totals since its programs were loaded). */
  async counters(arm: string): Promise<BpfCounters> {
    const output = await this.loader(['counters', arm], `read the eBPF counters of ${arm}`);
    const line = output.find((entry) => entry.startsWith(`${arm} `));
    if (!line) throw new BenchError('SB_BPF_FAILED', `reading the eBPF counters of ${arm} printed no dump`, output.slice(-5));
    return parseCounterDump(line.slice(arm.length + 1));
  }

  /** Programs attached to each cgroup ("-" when none, "gone" when the cgroup no longer exists). */
  async cgroupPrograms(cgroups: readonly string[]): Promise<string[]> {
    return this.loader(['cgroups', ...cgroups], 'list the programs attached to the pods’ cgroups');
  }

  /** Detaches and unpins every arm. Safe to call twice; returns what failed. */
  async close(): Promise<string[]> {
    if (this.closed) return [];
    this.closed = true;
    const problems: string[] = [];
    for (const [arm, attachments] of this.arms) {
      try {
        await this.loader(['teardown', arm, ...attachments.map((attachment) => `${attachment.kind}=${attachment.cgroup}`)], `detach the eBPF programs of ${arm}`);
      } catch (error) {
        problems.push(`eBPF programs of ${arm}: ${describeError(error)}`);
      }
    }
    this.arms.clear();
    return problems;
  }

  private async loader(args: string[], what: string): Promise<string[]> {
    const { dockerode, resources } = this.options;
    return runLoader(dockerode, this.options.image, args, what, {
      name: `sb-${resources.runId}-bpf-loader-${++this.loaderCount}`,
      labels: { ...resources.labels, 'io.sidecar-bench.role': 'bpf-loader' },
      volume: this.volumeName,
    });
  }
}

/**
 * Runs one sb-bpf loader step (docker/ebpf/sb-bpf.sh) to completion in a short-lived container and
 * returns its output lines; throws SB_BPF_FAILED with the loader's last lines when it fails.
 * @param scope name and labels of the container (a run's, so an interrupt removes it too), and the
 *   bpffs volume to mount at /sys/fs/bpf (none: the loader mounts a private bpffs when it needs one).
 */
export async function runLoader(dockerode: Dockerode, image: string, args: readonly string[], what: string, scope: { name?: string; labels?: Record<string, string>; volume?: string } = {}): Promise<string[]> {
  const hostConfig = {
    // What loading and attaching needs, and no more (Docker 20.10 cannot grant CAP_BPF by name).
    CapAdd: ['SYS_ADMIN', 'NET_ADMIN'],
    SecurityOpt: ['seccomp=unconfined'],
    // Engine API ≥ 1.41; dockerode's typings predate it. Host cgroupns: the pods' cgroups are visible.
    CgroupnsMode: 'host',
    NetworkMode: 'none',
    ...(scope.volume ? { Binds: [`${scope.volume}:/sys/fs/bpf`] } : {}),
  } as Dockerode.HostConfig;
  const container: Dockerode.Container = await dockerode.createContainer({
    ...(scope.name ? { name: scope.name } : {}),
    Image: image,
    Cmd: [...args],
    Labels: scope.labels ?? {},
    HostConfig: hostConfig,
  });
  try {
    await container.start();
    const { StatusCode: status } = (await container.wait()) as { StatusCode: number };
    const lines = demultiplex(await container.logs({ stdout: true, stderr: true, follow: false }))
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean);
    if (status !== 0) {
      const useful = lines.filter((line) => !/^(Warning: bpftool is now running|If it used to work)/.test(line));
      throw new BenchError('SB_BPF_FAILED', `could not ${what}: the loader exited with ${status}`, useful.slice(-12), '`sidecar-bench doctor` probes the kernel for what the ebpf topologies need.');
    }
    return lines;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
