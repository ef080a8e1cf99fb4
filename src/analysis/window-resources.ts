import type { ResourceAmounts } from '../kubernetes/index.js';
import type { ContainerRole } from '../results/schema.js';
import type { ResourceSample } from '../sampling/types.js';
import type { ContainerWindowResources, ResourcePoint } from './types.js';

export interface ContainerIdentity {
  container: string;
  pod: string;
  side: 'client' | 'server';
  role: ContainerRole;
  /** The container's Kubernetes requests and limits, when it ran with any (CPU millicores, memory bytes). */
  resources?: { requests: ResourceAmounts; limits: ResourceAmounts };
}

export interface MeasuredWindow {
  startEpochMs: number;
  endEpochMs: number;
}

interface Totals {
  cpuUs: number;
  voluntary: number;
  involuntary: number;
}

/**
 * Counter growth from one sample to a later one, process by process (a new process counts from 0).
 * Context switches are summed over live threads, so a thread that exits takes its count with it:
 * a process's growth is clamped at 0 rather than going negative.
 */
function growth(samples: readonly ResourceSample[], from: number, to: number, container: string): Totals {
  const before = new Map((samples[from]?.containers[container]?.processes ?? []).map((process) => [process.pid, process]));
  const totals: Totals = { cpuUs: 0, voluntary: 0, involuntary: 0 };
  for (const process of samples[to]?.containers[container]?.processes ?? []) {
    const earlier = before.get(process.pid);
    totals.cpuUs += process.cpuUs - (earlier?.cpuUs ?? 0);
    totals.voluntary += Math.max(0, process.voluntaryCtxSwitches - (earlier?.voluntaryCtxSwitches ?? 0));
    totals.involuntary += Math.max(0, process.involuntaryCtxSwitches - (earlier?.involuntaryCtxSwitches ?? 0));
  }
  return totals;
}

function rssBytes(sample: ResourceSample, container: string): number {
  return (sample.containers[container]?.processes ?? []).reduce((sum, process) => sum + process.rssBytes, 0);
}

/** Indices of the samples taken inside the window that saw the container. */
function samplesInWindow(samples: readonly ResourceSample[], window: MeasuredWindow, container: string): number[] {
  const indices: number[] = [];
  samples.forEach((sample, index) => {
    if (sample.epochMs >= window.startEpochMs && sample.epochMs <= window.endEpochMs && sample.containers[container]) indices.push(index);
  });
  return indices;
}

/**
 * A container's resources over a measured window: rates over the span between the first and the
 * last sample inside it, so no sample from warm-up leaks in. Undefined with fewer than 2 samples.
 */
export function containerWindowResources(
  samples: readonly ResourceSample[],
  window: MeasuredWindow,
  identity: ContainerIdentity,
  cores: number,
  rps: number,
): ContainerWindowResources | undefined {
  const indices = samplesInWindow(samples, window, identity.container);
  if (indices.length < 2) return undefined;
  const firstIndex = indices[0] as number;
  const lastIndex = indices[indices.length - 1] as number;
  const first = samples[firstIndex] as ResourceSample;
  const last = samples[lastIndex] as ResourceSample;
  const spanSeconds = (last.epochMs - first.epochMs) / 1000;
  if (spanSeconds <= 0) return undefined;

  const totals = growth(samples, firstIndex, lastIndex, identity.container);
  const cpuSeconds = totals.cpuUs / 1e6;
  const vcpu = cpuSeconds / spanSeconds;
  const ctxSwitches = totals.voluntary + totals.involuntary;
  const ctxSwitchesPerSecond = ctxSwitches / spanSeconds;
  const rss = indices.map((index) => rssBytes(samples[index] as ResourceSample, identity.container));
  const firstCgroup = first.containers[identity.container]?.cgroup;
  const lastCgroup = last.containers[identity.container]?.cgroup;
  const delta = (key: 'cpuUsageUs' | 'cfsPeriods' | 'throttledPeriods' | 'throttledUs' | 'oomKills') => {
    const a = firstCgroup?.[key];
    const b = lastCgroup?.[key];
    return a === undefined || b === undefined ? undefined : b - a;
  };
  const cgroupCpuUs = delta('cpuUsageUs');
  const cfsPeriods = delta('cfsPeriods');
  const throttledPeriods = delta('throttledPeriods');
  const throttledUs = delta('throttledUs');
  const oomKills = delta('oomKills');
  const names = new Set<string>();
  for (const index of indices) for (const process of samples[index]?.containers[identity.container]?.processes ?? []) names.add(process.comm);

  return {
    ...identity,
    spanSeconds,
    cpuSeconds,
    vcpu,
    vcpuPer1kRps: rps > 0 ? vcpu / (rps / 1000) : 0,
    cpuUsPerRequest: rps > 0 ? (vcpu * 1e6) / rps : 0,
    voluntaryCtxSwitches: totals.voluntary,
    involuntaryCtxSwitches: totals.involuntary,
    ctxSwitchesPerSecond,
    ctxSwitchesPerSecondPerCore: ctxSwitchesPerSecond / Math.max(1, cores),
    ctxSwitchesPerRequest: rps > 0 ? ctxSwitchesPerSecond / rps : 0,
    rssMaxBytes: Math.max(...rss),
    rssMeanBytes: rss.reduce((sum, value) => sum + value, 0) / rss.length,
    ...(cgroupCpuUs !== undefined ? { cgroupVcpu: cgroupCpuUs / 1e6 / spanSeconds } : {}),
    ...(cfsPeriods !== undefined ? { cfsPeriods } : {}),
    ...(throttledPeriods !== undefined ? { throttledPeriods } : {}),
    // cAdvisor's container_cpu_cfs_throttled_periods_total / container_cpu_cfs_periods_total.
    ...(throttledPeriods !== undefined && cfsPeriods !== undefined && cfsPeriods > 0 ? { throttledPeriodShare: throttledPeriods / cfsPeriods } : {}),
    ...(throttledUs !== undefined ? { throttledUs, throttledMsPerSecond: throttledUs / 1000 / spanSeconds } : {}),
    ...(oomKills !== undefined ? { oomKills } : {}),
    processNames: [...names].sort(),
  };
}

/** Rates between consecutive samples inside the window, for the over-time charts. */
export function containerResourceSeries(
  samples: readonly ResourceSample[],
  window: MeasuredWindow,
  identity: ContainerIdentity,
  round: number,
): ResourcePoint[] {
  const indices = samplesInWindow(samples, window, identity.container);
  const points: ResourcePoint[] = [];
  for (let i = 1; i < indices.length; i++) {
    const from = indices[i - 1] as number;
    const to = indices[i] as number;
    const seconds = ((samples[to] as ResourceSample).epochMs - (samples[from] as ResourceSample).epochMs) / 1000;
    if (seconds <= 0) continue;
    const totals = growth(samples, from, to, identity.container);
    points.push({
      round,
      container: identity.container,
      role: identity.role,
      side: identity.side,
      tSeconds: ((samples[to] as ResourceSample).epochMs - window.startEpochMs) / 1000,
      vcpu: totals.cpuUs / 1e6 / seconds,
      ctxSwitchesPerSecond: (totals.voluntary + totals.involuntary) / seconds,
      rssBytes: rssBytes(samples[to] as ResourceSample, identity.container),
    });
  }
  return points;
}

/** Number of CPUs in a cpuset list such as "0-1,3". */
export function cpusetSize(cpus: string): number {
  return cpus.split(',').reduce((count, part) => {
    const [low, high] = part.split('-').map(Number);
    return count + (high === undefined ? 1 : (high as number) - (low as number) + 1);
  }, 0);
}
