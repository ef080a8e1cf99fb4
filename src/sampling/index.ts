/**
 * Resource sampling: per-process CPU, context switches and RSS from /proc, and per-container
 * cgroup counters (CPU, throttling, memory, OOM kills), as a time series. The sampler is the main
 * export; the readers are exported for one-off reads (e.g. a health check) and for tests.
 */
export type { CgroupSample, ContainerSample, ProcessSample, ResourceSample, SampledContainer, SampledPod } from './types.js';
export { parseConntrackStat, parseNetTcp, readConntrackMax, readNetnsSample, TCP_STATE_NAMES, type ConntrackStat, type NetnsSample, type TcpStateCounts, type TcpStateName } from './net-tcp.js';
export { ResourceSampler, type ResourceSamplerOptions, type SamplerFailure } from './sampler.js';
export {
  DEFAULT_CLOCK_TICKS_PER_SECOND,
  parseProcStat,
  readClockTicksPerSecond,
  readProcessSample,
  type ProcReadOptions,
  type ProcStat,
  type RunCommand,
} from './proc-reader.js';
export { listCgroupPids, readCgroupSample, resolveCgroupDirsOfPid, type CgroupReadOptions } from './cgroup-reader.js';
export { parseMountinfo, parseProcCgroup, resolveCgroupDirs, type CgroupDirs, type CgroupMembership, type CgroupMount } from './cgroup-paths.js';
export { OpenFileCache, readKernelFile, type KernelFileRead } from './open-file-cache.js';
