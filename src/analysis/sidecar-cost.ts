import type { TrialSummary } from './types.js';

/**
 * One trial's sidecar cost: the vCPU per 1k req/s of its sidecar containers, summed (a topology
 * with two sidecars pays both). Undefined when the trial's topology has no sidecar. The one rule
 * for the gate's sidecar-vcpu-per-1k-rps, the eBPF comparison and the report's answer table.
 */
export function sidecarVcpuPer1kRps(trial: TrialSummary): number | undefined {
  const sidecars = trial.resources.filter((container) => container.role === 'sidecar');
  return sidecars.length > 0 ? sidecars.reduce((sum, container) => sum + container.vcpuPer1kRps, 0) : undefined;
}
