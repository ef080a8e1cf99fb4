import type Dockerode from 'dockerode';
import { describeError } from '../errors.js';
import { currentRunOwner, ownerLabels, type RunOwner } from './run-owner.js';

export const RUN_ID_LABEL = 'io.sidecar-bench.run-id';
/** The pod a container belongs to (src/runtime/pod.ts labels every container of a pod with it). */
export const POD_LABEL = 'io.sidecar-bench.pod';

/**
 * Everything a run creates in Docker carries the run's label; removal sweeps by label, so a
 * container created by a start() that was interrupted half-way is removed too. The labels also
 * name the owning process (src/runtime/run-owner.ts), so resources a killed run could not remove
 * are found later and told apart from a live run's.
 */
export class RunResources implements AsyncDisposable {
  private removed = false;
  private readonly teardowns: (() => Promise<string[]>)[] = [];

  constructor(
    private readonly dockerode: Dockerode,
    readonly runId: string,
    /** The process that owns the run (default: this one). */
    readonly owner: RunOwner = currentRunOwner(),
  ) {}

  get labels(): Record<string, string> {
    return { [RUN_ID_LABEL]: this.runId, ...ownerLabels(this.owner) };
  }

  async createNetwork(name: string): Promise<string> {
    const network = await this.dockerode.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: this.labels });
    return network.id;
  }

  /**
   * Registers a step that must run before the containers go (e.g. detaching eBPF programs from
   * their cgroups). It returns what it could not undo; it runs once, in registration order.
   */
  beforeRemove(teardown: () => Promise<string[]>): void {
    this.teardowns.push(teardown);
  }

  /**
   * Force-removes every container of these pods of this run (pause, init, app, sidecar, loadgen),
   * so that fresh pods can start under the same names. Returns what failed.
   */
  async removePods(podNames: readonly string[]): Promise<string[]> {
    const problems: string[] = [];
    for (const pod of podNames) {
      const containers = await this.dockerode.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${this.runId}`, `${POD_LABEL}=${pod}`] } });
      for (const info of containers) {
        await this.dockerode
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch((error: unknown) => problems.push(`container ${info.Names[0] ?? info.Id}: ${describeError(error)}`));
      }
    }
    return problems;
  }

  /** Runs the registered teardowns, then force-removes every container, network and volume of this run. Safe to call twice. Returns what failed. */
  async removeAll(): Promise<string[]> {
    this.removed = true;
    const filters = { label: [`${RUN_ID_LABEL}=${this.runId}`] };
    const problems: string[] = [];
    for (const teardown of this.teardowns.splice(0)) {
      problems.push(...(await teardown().catch((error: unknown) => [describeError(error)])));
    }
    const containers = await this.dockerode.listContainers({ all: true, filters });
    await Promise.all(
      containers.map((info) =>
        this.dockerode
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch((error: unknown) => {
            if (!/no such container|removal .* already in progress/i.test(describeError(error))) problems.push(`container ${info.Names[0] ?? info.Id}: ${describeError(error)}`);
          }),
      ),
    );
    const networks = await this.dockerode.listNetworks({ filters });
    for (const network of networks) {
      await this.dockerode
        .getNetwork(network.Id)
        .remove()
        .catch((error: unknown) => problems.push(`network ${network.Name}: ${describeError(error)}`));
    }
    // Volumes last: the eBPF session's bpffs is mounted by its keeper container until that is gone.
    const { Volumes: volumes } = await this.dockerode.listVolumes({ filters });
    for (const volume of volumes ?? []) {
      await this.dockerode
        .getVolume(volume.Name)
        .remove()
        .catch((error: unknown) => problems.push(`volume ${volume.Name}: ${describeError(error)}`));
    }
    return problems;
  }

  get isRemoved(): boolean {
    return this.removed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.removeAll();
  }
}
