import type Dockerode from 'dockerode';
import { formatMemoryBytes } from '../kubernetes/index.js';
import type { ContainerRole, OomKillRecord } from '../results/schema.js';
import type { ResourceSample } from '../sampling/types.js';

/** A container to check: its engine name (or id), role and memory limit (from its resources). */
export interface WatchedContainer {
  /** The engine's name or id; inspect accepts either. */
  ref: string;
  name: string;
  role: ContainerRole;
  memoryLimitBytes?: number;
}

/**
 * The containers the kernel killed for memory, by Docker's own record (`State.OOMKilled`, set
 * from the cgroup's OOM notification), with the cgroup's oom_kill counter where a sample read it
 * before the container and its cgroup went (v1 memory.oom_control, v2 memory.events). A container
 * that does not exist (never created) is skipped.
 */
export async function findOomKills(dockerode: Dockerode, containers: readonly WatchedContainer[], samples: readonly ResourceSample[] = []): Promise<OomKillRecord[]> {
  const kills: OomKillRecord[] = [];
  for (const container of containers) {
    const info = await dockerode
      .getContainer(container.ref)
      .inspect()
      .catch(() => undefined);
    if (!info?.State.OOMKilled) continue;
    const counter = samples.reduce<number | undefined>((max, sample) => {
      const kills = sample.containers[container.name]?.cgroup.oomKills;
      return kills === undefined ? max : Math.max(max ?? 0, kills);
    }, undefined);
    kills.push({
      container: container.name,
      role: container.role,
      exitCode: info.State.ExitCode,
      ...(container.memoryLimitBytes !== undefined ? { memoryLimitBytes: container.memoryLimitBytes } : {}),
      ...(counter !== undefined ? { cgroupOomKills: counter } : {}),
    });
  }
  return kills;
}

/** "sidecar container sb-…-sidecar-server-sidecar OOMKilled (exit code 137, memory limit 16Mi, cgroup oom_kill 1)". */
export function describeOomKill(kill: OomKillRecord): string {
  const details = [
    `exit code ${kill.exitCode}`,
    ...(kill.memoryLimitBytes !== undefined ? [`memory limit ${formatMemoryBytes(kill.memoryLimitBytes)}`] : []),
    kill.cgroupOomKills !== undefined ? `cgroup oom_kill ${kill.cgroupOomKills}` : 'cgroup oom_kill not read: the cgroup went with the container before a sample',
  ];
  return `${kill.role} container ${kill.container} OOMKilled (${details.join(', ')})`;
}
