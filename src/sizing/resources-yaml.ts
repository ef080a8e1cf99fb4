/**
 * A sidecar sizing as the YAML an architect pastes into a Deployment's sidecar container: the
 * Kubernetes `resources` object (quantities in canonical form, kubernetes/quantity.ts), with the
 * concurrency, the cluster totals and every caveat as comments above it.
 */
import { Document } from 'yaml';
import { formatCpuMillis, formatMemoryBytes } from '../kubernetes/quantity.js';
import type { SidecarSizing } from './size-sidecar.js';

/** A container's `resources` (Kubernetes core/v1 ResourceRequirements). */
export interface ResourceRequirements {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export function resourceRequirementsOf(sizing: SidecarSizing): ResourceRequirements {
  return {
    requests: { cpu: formatCpuMillis(sizing.requests.cpuMillis), memory: formatMemoryBytes(sizing.requests.memoryBytes) },
    limits: { cpu: formatCpuMillis(sizing.limits.cpuMillis), memory: formatMemoryBytes(sizing.limits.memoryBytes) },
  };
}

export interface PlanContext {
  runId: string;
  scenario: string;
  targetRps: number;
  headroomShare: number;
  services: number;
  replicas: number;
  slo: { p99Us: number; maxErrorRate: number };
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** `resources:` as a YAML document, the plan's figures in comments before it. */
export function renderResourcesYaml(sizing: SidecarSizing, context: PlanContext): string {
  const document = new Document({ resources: resourceRequirementsOf(sizing) });
  const { cluster } = sizing;
  const lines = [
    ` sidecar-bench plan: the sidecar container of topology "${sizing.topology}", from run ${context.runId} (${context.scenario})`,
    ` target ${fixed(context.targetRps, 0)} req/s per service over ${context.replicas} replica(s) = ${fixed(sizing.perReplicaRps, 0)} req/s per replica; headroom ${fixed(context.headroomShare * 100, 0)} %`,
    ` knee: ${sizing.kneeRps === undefined ? 'none (SLO missed at every rate)' : `${fixed(sizing.kneeRps, 0)} req/s`} against P99 ≤ ${fixed(context.slo.p99Us / 1000, 2)} ms, errors ≤ ${fixed(context.slo.maxErrorRate * 100, 2)} %`,
    ` requests: the fitted CPU at the per-replica rate and the peak RSS within the SLO; limits: the fitted CPU at the knee and the sweep's peak RSS, plus headroom`,
    ` concurrency: ${sizing.concurrency} worker thread(s) (HAProxy nbthread, Envoy --concurrency, Istio proxy.istio.io/config concurrency)`,
    ` cluster: ${context.services} service(s) x ${context.replicas} replica(s) = ${cluster.pods} sidecars: requests ${fixed(cluster.requestsVcpu, 2)} vCPU, ${fixed(cluster.requestsGiB, 2)} GiB; limits ${fixed(cluster.limitsVcpu, 2)} vCPU, ${fixed(cluster.limitsGiB, 2)} GiB`,
    ...sizing.notes.map((note) => ` note: ${note}`),
  ];
  document.commentBefore = lines.join('\n');
  return document.toString();
}
