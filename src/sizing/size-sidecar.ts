/**
 * Sizing a sidecar from a capacity run (analysis/capacity.ts), the way an architect writes it into
 * a Deployment: the container's Kubernetes `resources` plus the proxy concurrency and the cluster
 * totals for N services × M replicas.
 *
 * - requests.cpu: the fitted cost at the per-replica rate (idle + slope · rate);
 * - limits.cpu: the fitted cost at the knee (the most a replica should carry), × (1 + headroom),
 *   never below the request × (1 + headroom);
 * - requests.memory: the peak RSS at the steps within the SLO; limits.memory: the peak RSS of the
 *   whole sweep × (1 + headroom);
 * - concurrency: worker threads = the CPU limit rounded up (Istio's rule for --concurrency).
 * Where several sidecars were measured (client and server), each figure takes the larger: one
 * template must fit both roles, since a mesh pod's sidecar carries inbound and outbound.
 */
import { predict } from '../analysis/linear-fit.js';
import type { CapacitySummary, SidecarCost, TopologyCapacity } from '../analysis/capacity.js';
import { BenchError } from '../errors.js';

export interface SizingInput {
  /** Requests per second each service must carry (over all its replicas). */
  targetRps: number;
  /** Extra share on limits, e.g. 0.3 for 30 %. */
  headroomShare: number;
  services: number;
  replicas: number;
  /** The topology to size from; default: "sidecar" if swept, else the first swept topology with a sidecar. */
  topology?: string;
  /** Worker threads the run measured with (proxy.workerThreads). */
  measuredWorkerThreads?: number;
}

export interface SidecarSizing {
  topology: string;
  perReplicaRps: number;
  requests: { cpuMillis: number; memoryBytes: number };
  limits: { cpuMillis: number; memoryBytes: number };
  concurrency: number;
  cluster: { pods: number; requestsVcpu: number; requestsGiB: number; limitsVcpu: number; limitsGiB: number };
  /** The knee this is based on, req/s (offered rate of the knee step). */
  kneeRps?: number;
  /** What a reader must know: the knee below the per-replica rate, a knee above the highest rate swept, … */
  notes: string[];
}

const MI = 2 ** 20;
const GI = 2 ** 30;
const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;

function chooseTopology(capacity: CapacitySummary, name: string | undefined): TopologyCapacity {
  const withSidecars = capacity.topologies.filter((topology) => topology.sidecars.some((sidecar) => sidecar.cpuFit));
  if (name !== undefined) {
    const found = capacity.topologies.find((topology) => topology.topology === name);
    if (!found) throw new BenchError('SB_SCENARIO_INVALID', `--topology: "${name}" was not swept in this run (swept: ${capacity.topologies.map((topology) => topology.topology).join(', ')})`);
    if (!withSidecars.includes(found)) throw new BenchError('SB_SCENARIO_INVALID', `--topology: "${name}" has no sidecar with a CPU fit (a sidecar topology needs 3 or more trials that kept their rate, at 2 or more rates)`);
    return found;
  }
  const chosen = withSidecars.find((topology) => topology.topology === 'sidecar') ?? withSidecars[0];
  if (!chosen) throw new BenchError('SB_SCENARIO_INVALID', 'no swept topology has a sidecar with a CPU fit: nothing to size (sweep a sidecar topology over 2 or more rates the sidecar sustains)');
  return chosen;
}

/** The sidecar's vCPU at a rate by its fit (never below 0). */
const vcpuAt = (sidecar: SidecarCost, rps: number) => (sidecar.cpuFit ? Math.max(0, predict(sidecar.cpuFit, rps)) : 0);

/** Sizes one sidecar container from a capacity summary. Throws BenchError (exit 2) when nothing can be sized. */
export function sizeSidecar(capacity: CapacitySummary, input: SizingInput): SidecarSizing {
  const topology = chooseTopology(capacity, input.topology);
  const sidecars = topology.sidecars.filter((sidecar) => sidecar.cpuFit);
  const perReplicaRps = input.targetRps / input.replicas;
  const notes: string[] = [];
  const { knee } = topology;
  const kneeRps = knee.achievedRps ?? knee.rps;
  if (knee.status === 'below-lowest' || kneeRps === undefined) {
    notes.push(`${topology.topology} missed the SLO at every rate swept: no knee, so limits.cpu is sized at the per-replica rate`);
  } else {
    if (knee.status === 'above-highest') notes.push(`${topology.topology} met the SLO at every rate swept (up to ${knee.rps}/s): the knee is at least that, so limits.cpu is sized there`);
    if (perReplicaRps > kneeRps) {
      const replicas = Math.ceil((input.targetRps * (1 + input.headroomShare)) / kneeRps);
      notes.push(`${perReplicaRps.toFixed(0)} req/s per replica is past the knee (${kneeRps.toFixed(0)} req/s): run at least ${replicas} replicas per service for ${(input.headroomShare * 100).toFixed(0)} % headroom`);
    }
  }
  const limitRps = kneeRps === undefined ? perReplicaRps : Math.max(perReplicaRps, kneeRps);
  const requestVcpu = Math.max(...sidecars.map((sidecar) => vcpuAt(sidecar, perReplicaRps)));
  const limitVcpu = Math.max(...sidecars.map((sidecar) => vcpuAt(sidecar, limitRps)), requestVcpu) * (1 + input.headroomShare);
  const kneeSteps = new Set(topology.steps.filter((step) => kneeRps === undefined || step.targetRps <= (knee.rps ?? Number.POSITIVE_INFINITY)).map((step) => step.step));
  const withinSlo = sidecars.flatMap((sidecar) => sidecar.points.filter((point) => kneeSteps.has(point.step)).map((point) => point.rssBytes));
  const peak = Math.max(...sidecars.map((sidecar) => sidecar.rssPeakBytes));
  const requestMemory = withinSlo.length > 0 ? Math.max(...withinSlo) : peak;
  // At least 10m and 1Mi: Kubernetes accepts less, but no proxy runs on it.
  const requests = { cpuMillis: Math.max(10, ceilTo(requestVcpu * 1000, 10)), memoryBytes: Math.max(MI, ceilTo(requestMemory, MI)) };
  const limits = { cpuMillis: Math.max(requests.cpuMillis, ceilTo(limitVcpu * 1000, 10)), memoryBytes: Math.max(requests.memoryBytes, ceilTo(peak * (1 + input.headroomShare), MI)) };
  const concurrency = Math.max(1, Math.ceil(limits.cpuMillis / 1000));
  if (input.measuredWorkerThreads !== undefined && input.measuredWorkerThreads !== concurrency) {
    notes.push(`the run measured ${input.measuredWorkerThreads} worker thread(s); the cost at ${concurrency} may differ (sweep proxy.workerThreads to check)`);
  }
  const pods = input.services * input.replicas;
  return {
    topology: topology.topology,
    perReplicaRps,
    requests,
    limits,
    concurrency,
    cluster: {
      pods,
      requestsVcpu: (pods * requests.cpuMillis) / 1000,
      requestsGiB: (pods * requests.memoryBytes) / GI,
      limitsVcpu: (pods * limits.cpuMillis) / 1000,
      limitsGiB: (pods * limits.memoryBytes) / GI,
    },
    ...(kneeRps !== undefined ? { kneeRps } : {}),
    notes,
  };
}
