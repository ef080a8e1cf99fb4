import { join } from 'node:path';
import { parseMountinfo, parseProcCgroup, resolveCgroupDirs, type CgroupDirs } from './cgroup-paths.js';
import { readKernelFile, type KernelFileRead } from './open-file-cache.js';
import { parseKeyValueLines, parseSingleInteger, readTextIfPresent, readTextOrUndefined } from './read-text.js';
import type { CgroupSample } from './types.js';

/** Where the host's kernel files are visible. */
export interface CgroupReadOptions {
  /** Directory of the proc filesystem. Default "/proc". */
  procRoot?: string;
  /**
   * Prefix for the mount points found in mountinfo. Default "/"; a fixture tree in tests, or the
   * host's root bind-mounted into a container (e.g. "/host").
   */
  hostRoot?: string;
}

/**
 * Finds the cgroup directories of the process `hostPid` from /proc/PID/cgroup and the reader's own
 * /proc/self/mountinfo (mount points are the reader's, not the container's). Undefined when the
 * process does not exist (any longer).
 *
 * On a hybrid host (cgroup v1 controllers plus a cgroup2 mount, like Docker 20.10 with cgroupfs)
 * both v1 and v2 directories come back; {@link readCgroupSample} prefers v1 where it has one.
 */
export async function resolveCgroupDirsOfPid(hostPid: number, options: CgroupReadOptions = {}): Promise<CgroupDirs | undefined> {
  const procRoot = options.procRoot ?? '/proc';
  const [cgroupText, mountinfoText] = await Promise.all([
    readTextIfPresent(join(procRoot, String(hostPid), 'cgroup')),
    readTextIfPresent(join(procRoot, 'self', 'mountinfo')),
  ]);
  if (cgroupText === undefined) return undefined;
  if (mountinfoText === undefined) throw new Error(`${join(procRoot, 'self', 'mountinfo')} is missing`);
  return resolveCgroupDirs(parseProcCgroup(cgroupText), parseMountinfo(mountinfoText), options.hostRoot ?? '/');
}

/**
 * Host PIDs (thread-group ids) in the cgroup, ascending, from cgroup.procs; re-read on every sample
 * because `docker exec` and forks add processes. Empty when there is no readable cgroup.procs
 * (no directory found, or the cgroup was removed because the container stopped).
 */
export async function listCgroupPids(dirs: CgroupDirs): Promise<number[]> {
  if (dirs.procsDir === undefined) return [];
  const text = await readTextOrUndefined(join(dirs.procsDir, 'cgroup.procs'));
  if (text === undefined) return [];
  const pids = new Set<number>();
  for (const line of text.split('\n')) {
    // A process outside the reader's PID namespace is listed as "0": skip it.
    const pid = Number(line.trim());
    if (line.trim() !== '' && Number.isSafeInteger(pid) && pid > 0) pids.add(pid);
  }
  return [...pids].sort((a, b) => a - b);
}

const nsToUs = (ns: bigint | undefined): number | undefined => (ns === undefined ? undefined : Number(ns / 1000n));
const toNumber = (value: bigint | undefined): number | undefined => (value === undefined ? undefined : Number(value));
const NONE = new Map<string, bigint>();

/** Reads an optional cgroup file: undefined on any failure, so a missing counter is only left out. */
async function readOptional(read: KernelFileRead, dir: string | undefined, file: string): Promise<string | undefined> {
  return dir === undefined ? undefined : read(join(dir, file)).catch(() => undefined);
}

async function readKeyValues(read: KernelFileRead, dir: string | undefined, file: string): Promise<Map<string, bigint>> {
  const text = await readOptional(read, dir, file);
  return text === undefined ? NONE : parseKeyValueLines(text);
}

async function readInteger(read: KernelFileRead, dir: string | undefined, file: string): Promise<bigint | undefined> {
  const text = await readOptional(read, dir, file);
  return text === undefined ? undefined : parseSingleInteger(text);
}

/** Drops undefined fields, so an unreadable counter is absent rather than present-but-undefined. */
function defined(sample: CgroupSample): CgroupSample {
  return Object.fromEntries(Object.entries(sample).filter(([, value]) => value !== undefined)) as CgroupSample;
}

/**
 * Reads the cgroup's cumulative counters. Each comes from v1 when that controller is mounted and
 * joined, else from v2; a file that cannot be read leaves its field out (never throws).
 *
 * v1: cpuacct.usage (ns), cpu.stat nr_periods / nr_throttled / throttled_time (ns), memory.usage_in_bytes,
 * memory.oom_control oom_kill (kernel ≥ 4.13). v2: cpu.stat usage_usec / nr_periods / nr_throttled /
 * throttled_usec, memory.current, memory.events oom_kill. v1 memory usage includes page cache,
 * so it runs above the processes' summed RSS.
 *
 * @param read How files are read; the sampler passes an OpenFileCache's read. Default readFile.
 */
export async function readCgroupSample(dirs: CgroupDirs, read: KernelFileRead = readKernelFile): Promise<CgroupSample> {
  const { cpuacctDir, cpuDir, memoryDir, unifiedDir } = dirs;
  // v2 files are read only for what v1 does not provide, to keep each sample to a few reads.
  const needV2Cpu = cpuacctDir === undefined || cpuDir === undefined;
  const [cpuacctUsageNs, v1CpuStat, v1MemoryBytes, oomControl, v2CpuStat, v2MemoryBytes, v2MemoryEvents] = await Promise.all([
    readInteger(read, cpuacctDir, 'cpuacct.usage'),
    readKeyValues(read, cpuDir, 'cpu.stat'),
    readInteger(read, memoryDir, 'memory.usage_in_bytes'),
    readKeyValues(read, memoryDir, 'memory.oom_control'),
    needV2Cpu ? readKeyValues(read, unifiedDir, 'cpu.stat') : NONE,
    memoryDir === undefined ? readInteger(read, unifiedDir, 'memory.current') : undefined,
    memoryDir === undefined ? readKeyValues(read, unifiedDir, 'memory.events') : NONE,
  ]);
  return defined({
    cpuUsageUs: cpuacctDir ? nsToUs(cpuacctUsageNs) : toNumber(v2CpuStat.get('usage_usec')),
    cfsPeriods: toNumber(cpuDir ? v1CpuStat.get('nr_periods') : v2CpuStat.get('nr_periods')),
    throttledPeriods: toNumber(cpuDir ? v1CpuStat.get('nr_throttled') : v2CpuStat.get('nr_throttled')),
    throttledUs: cpuDir ? nsToUs(v1CpuStat.get('throttled_time')) : toNumber(v2CpuStat.get('throttled_usec')),
    memoryUsageBytes: toNumber(memoryDir ? v1MemoryBytes : v2MemoryBytes),
    oomKills: toNumber(memoryDir ? oomControl.get('oom_kill') : v2MemoryEvents.get('oom_kill')),
  });
}
