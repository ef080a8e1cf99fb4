/**
 * Kubernetes semantics sidecar-bench reproduces on Docker: resource quantities, the kubelet's
 * mapping of `resources:` to a container's cgroup, and which sysctls a pod may set.
 */
export { QUANTITY_FORMS, formatCpuMillis, formatMemoryBytes, milliValue, parseCpuMillis, parseMemoryBytes, parseQuantity, wholeValue, type Quantity, type ResourceParse } from './quantity.js';
export {
  DOCKER_MIN_MEMORY_BYTES,
  MIN_QUOTA_US,
  QUOTA_PERIOD_US,
  dockerResources,
  kubeletLinuxResources,
  milliCpuToQuotaUs,
  milliCpuToShares,
  qosClass,
  type ContainerResources,
  type LinuxContainerResources,
  type ResourceAmounts,
} from './kubelet-resources.js';
export { SEED_SYSCTLS, sameSysctlValue, sysctlPath, sysctlProblem, sysctlValueProblem } from './sysctls.js';
