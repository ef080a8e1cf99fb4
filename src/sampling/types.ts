import type { NetnsSample } from './net-tcp.js';

/** One process of a container at one instant; counters are cumulative since the process started. */
export interface ProcessSample {
  /** Host PID. */
  pid: number;
  /** Short command name from /proc/PID/stat. */
  comm: string;
  /** utime + stime of the process (includes threads that already exited), in µs. */
  cpuUs: number;
  /** Summed over every thread in /proc/PID/task/*; the process-level status counts only the main thread. */
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  rssBytes: number;
  threads: number;
}

/** The container's cgroup at the same instant (cumulative counters). Absent where unreadable. */
export interface CgroupSample {
  cpuUsageUs?: number;
  /** CFS enforcement periods that elapsed with the container runnable (cpu.stat nr_periods); grows only under a CPU limit. */
  cfsPeriods?: number;
  /** Periods in which the container used up its quota and waited (nr_throttled). */
  throttledPeriods?: number;
  /** Time spent waiting for the next period, µs (v1 throttled_time ns / 1000, v2 throttled_usec). */
  throttledUs?: number;
  memoryUsageBytes?: number;
  oomKills?: number;
}

export interface ContainerSample {
  processes: ProcessSample[];
  cgroup: CgroupSample;
}

export interface ResourceSample {
  /** Wall-clock time of the read (shared with containers, so comparable with the load window). */
  epochMs: number;
  /** Keyed by container name. */
  containers: Record<string, ContainerSample>;
  /** Each pod's network namespace (TCP states, conntrack), keyed by pod name; absent when no pod is watched. */
  pods?: Record<string, NetnsSample>;
}

/** A pod to watch: its network namespace is read through a PID inside it (the pause container's). */
export interface SampledPod {
  name: string;
  hostPid: number;
}

/** What the sampler needs to know about a container. */
export interface SampledContainer {
  name: string;
  /** Host PID of the container's first process (Docker's State.Pid). */
  hostPid: number;
}
