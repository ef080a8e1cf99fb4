import { estimateMedian, type MedianEstimate } from '../analysis/statistics.js';
import { sidecarVcpuPer1kRps } from '../analysis/sidecar-cost.js';
import type { TopologySummary } from '../analysis/types.js';
import { bytesToMiB } from './format.js';

/** What the sidecars of one topology cost together (mean over ok trials). */
export interface SidecarTotals {
  /** Sidecar containers in the topology. */
  count: number;
  vcpuPer1kRps: number;
  /** The sidecars' vCPU per 1k req/s of each ok trial (summed over sidecars): median over trials with its order-statistics interval. */
  vcpuPer1kRpsOverTrials: MedianEstimate;
  /** Sum of each sidecar's peak RSS. */
  rssMaxMiB: number;
}

export function sidecarTotals(topology: TopologySummary): SidecarTotals {
  const sidecars = topology.resources.filter((resource) => resource.role === 'sidecar');
  return {
    count: sidecars.length,
    vcpuPer1kRps: sidecars.reduce((sum, resource) => sum + resource.vcpuPer1kRps, 0),
    vcpuPer1kRpsOverTrials: estimateMedian(topology.trials.flatMap((trial) => sidecarVcpuPer1kRps(trial) ?? [])),
    rssMaxMiB: bytesToMiB(sidecars.reduce((sum, resource) => sum + resource.rssMaxBytes, 0)),
  };
}
