/**
 * A container's Kubernetes `resources:` turned into the cgroup settings the kubelet gives it, and
 * those into Docker's HostConfig (what cri-dockerd hands the engine).
 *
 * Sources (kubernetes/kubernetes):
 * - pkg/kubelet/cm/helpers_linux.go: `MilliCPUToShares` (milliCPU × 1024 / 1000, at least
 *   `MinShares` = 2, at most `MaxShares` = 262144; 0 → 2, "to really match kernel default for
 *   zero milliCPU") and `MilliCPUToQuota` (milliCPU × period / 1000, at least `MinQuotaPeriod` =
 *   1000 µs; 0 → no quota) with `QuotaPeriod` = 100000 µs.
 * - pkg/kubelet/kuberuntime/kuberuntime_container_linux.go `calculateLinuxResources`: shares from
 *   requests.cpu, or from limits.cpu when only the limit is given ("we want request to default to
 *   limit"); CFS quota from limits.cpu with the 100 ms period; memory limit from limits.memory
 *   (only when > 0). requests.memory sets nothing in a cgroup v1 container (it is a scheduling
 *   figure; only cgroup v2 with the MemoryQoS gate maps it, to memory.min).
 */
import type Dockerode from 'dockerode';

/** One container's requests and limits, resolved: CPU in millicores, memory in bytes. Absent: not set. */
export interface ResourceAmounts {
  cpuMilli?: number;
  memoryBytes?: number;
}

/** A container's Kubernetes resources (`requests` and `limits`), resolved to numbers. */
export interface ContainerResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/** The kubelet's `runtimeapi.LinuxContainerResources` fields sidecar-bench applies. */
export interface LinuxContainerResources {
  /** cpu.shares (cgroup v1; v2 converts to cpu.weight). */
  cpuShares: number;
  /** cpu.cfs_period_us, µs: always the kubelet's 100 ms. */
  cpuPeriodUs: number;
  /** cpu.cfs_quota_us, µs per period; absent: no CPU limit. */
  cpuQuotaUs?: number;
  /** memory.limit_in_bytes; absent: no memory limit. */
  memoryLimitBytes?: number;
}

export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
export const SHARES_PER_CPU = 1024;
export const MILLI_CPU_TO_CPU = 1000;
/** `QuotaPeriod`: 100 ms, in µs. */
export const QUOTA_PERIOD_US = 100_000;
/** `MinQuotaPeriod`: the kernel's least CFS quota, 1 ms, in µs. */
export const MIN_QUOTA_US = 1000;

/** helpers_linux.go `MilliCPUToShares`. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  // Integer division, as in Go's int64 arithmetic ("factored to improve rounding").
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** helpers_linux.go `MilliCPUToQuota`: µs of CPU per `periodUs`; 0 means no quota. */
export function milliCpuToQuotaUs(milliCpu: number, periodUs = QUOTA_PERIOD_US): number {
  if (milliCpu === 0) return 0;
  const quota = Math.floor((milliCpu * periodUs) / MILLI_CPU_TO_CPU);
  return Math.max(MIN_QUOTA_US, quota);
}

/**
 * What the kubelet puts in the container's cgroup for these resources (calculateLinuxResources,
 * with CFS quota enforcement on, the kubelet's default `cpuCFSQuota: true`).
 */
export function kubeletLinuxResources(resources: ContainerResources): LinuxContainerResources {
  const requestMilli = resources.requests.cpuMilli ?? 0;
  const limitMilli = resources.limits.cpuMilli ?? 0;
  const cpuShares = requestMilli === 0 && limitMilli !== 0 ? milliCpuToShares(limitMilli) : milliCpuToShares(requestMilli);
  const quota = milliCpuToQuotaUs(limitMilli);
  const memory = resources.limits.memoryBytes ?? 0;
  return {
    cpuShares,
    cpuPeriodUs: QUOTA_PERIOD_US,
    ...(quota > 0 ? { cpuQuotaUs: quota } : {}),
    ...(memory > 0 ? { memoryLimitBytes: memory } : {}),
  };
}

/**
 * The same settings as Docker HostConfig fields. MemorySwap equals Memory: no swap on top of the
 * limit, as on a Kubernetes node (the kubelet refuses to start with swap on unless NodeSwap is
 * configured), so a container over its limit is OOM-killed rather than swapped.
 */
export function dockerResources(linux: LinuxContainerResources): Partial<Dockerode.HostConfig> {
  return {
    CpuShares: linux.cpuShares,
    CpuPeriod: linux.cpuPeriodUs,
    ...(linux.cpuQuotaUs !== undefined ? { CpuQuota: linux.cpuQuotaUs } : {}),
    ...(linux.memoryLimitBytes !== undefined ? { Memory: linux.memoryLimitBytes, MemorySwap: linux.memoryLimitBytes } : {}),
  };
}

/** Docker 20.10 refuses memory limits below 6 MiB (daemon/daemon_unix.go `linuxMinMemory`). */
export const DOCKER_MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/** The pod's QoS class (pkg/apis/core/helper/qos `GetPodQOS`), from its containers' resources. */
export function qosClass(containers: readonly ContainerResources[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const any = containers.some((c) => [c.requests.cpuMilli, c.requests.memoryBytes, c.limits.cpuMilli, c.limits.memoryBytes].some((v) => v !== undefined && v > 0));
  if (!any) return 'BestEffort';
  // Guaranteed: every container has cpu and memory limits, and requests equal to them (defaulted from limits).
  const guaranteed = containers.every((c) => {
    const { cpuMilli: cpuLimit, memoryBytes: memoryLimit } = c.limits;
    if (!cpuLimit || !memoryLimit) return false;
    return (c.requests.cpuMilli ?? cpuLimit) === cpuLimit && (c.requests.memoryBytes ?? memoryLimit) === memoryLimit;
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
