/**
 * The host a result was measured on: CPU, kernel, OS, Docker, Node, cgroup version. Recorded with
 * every result so that figures from different machines are never compared blindly.
 */
import type { HostFingerprint } from '../results/schema.js';
import { nodeHostFs, type HostFs } from './host-fs.js';

export type { HostFingerprint } from '../results/schema.js';

/** Host files the fingerprint reads. */
export const HOST_PATHS = {
  cpuinfo: '/proc/cpuinfo',
  kernelRelease: '/proc/sys/kernel/osrelease',
  osRelease: '/etc/os-release',
  osReleaseFallback: '/usr/lib/os-release',
  cgroup2Controllers: '/sys/fs/cgroup/cgroup.controllers',
  onlineCpus: '/sys/devices/system/cpu/online',
  cpuIdleDriver: '/sys/devices/system/cpu/cpuidle/current_driver',
} as const;

/** What a fingerprint is read with. */
export interface FingerprintDeps {
  /** The engine's version as Docker reports it (`DockerConnection.serverVersion`), e.g. "20.10.24+dfsg1". */
  dockerVersion: string;
  /** Host files; default: the real filesystem rooted at "/". */
  fs?: HostFs;
  /** Default: `process.version` (e.g. "v20.20.2"). */
  nodeVersion?: string;
}

/** What /proc/cpuinfo says about the CPU. */
export interface CpuInfo {
  /** `model name` (x86), else `Hardware` / `cpu model` / `Model` (other architectures); "unknown" if none. */
  model: string;
  /** Number of `processor` entries: logical CPUs the kernel knows. */
  logicalCores: number;
  /** The `aes` flag (x86) or feature (arm64) on the first processor. */
  aesNi: boolean;
  /** The `avx2` flag on the first processor (always false off x86). */
  avx2: boolean;
}

const UNKNOWN = 'unknown';

/** Parses the text of /proc/cpuinfo. Flags are whole words: `vaes` is not `aes`. */
export function parseCpuInfo(text: string): CpuInfo {
  const fields = new Map<string, string>();
  let logicalCores = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') logicalCores += 1;
    if (!fields.has(key)) fields.set(key, value);
  }
  const model = ['model name', 'hardware', 'cpu model', 'model'].map((key) => fields.get(key)).find((value) => value !== undefined && value !== '' && !/^\d+$/.test(value));
  const flags = new Set(`${fields.get('flags') ?? ''} ${fields.get('features') ?? ''}`.split(/\s+/).filter(Boolean));
  return { model: model ?? UNKNOWN, logicalCores, aesNi: flags.has('aes'), avx2: flags.has('avx2') };
}

/** Parses os-release text (KEY=value, optionally quoted) into its fields. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match) continue;
    const [, key = '', raw = ''] = match;
    const value = raw.trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    fields[key] = quoted ? (quoted[2] ?? '').replace(/\\(["'\\$`])/g, '$1') : value;
  }
  return fields;
}

/** A human name for the OS: PRETTY_NAME, else "NAME VERSION", else "unknown". */
export function osPrettyName(fields: Readonly<Record<string, string>>): string {
  if (fields.PRETTY_NAME) return fields.PRETTY_NAME;
  const fallback = [fields.NAME, fields.VERSION].filter(Boolean).join(' ');
  return fallback || UNKNOWN;
}

/**
 * Parses a kernel CPU list ("0-1", "0,2-3,7") into sorted CPU numbers.
 * @throws Error naming the text when it is not a CPU list.
 */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  const trimmed = text.trim();
  if (trimmed === '') return [];
  for (const part of trimmed.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`not a CPU list: ${JSON.stringify(text)} (expected e.g. "0-1" or "0,2-3")`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new Error(`not a CPU list: ${JSON.stringify(text)} (range ${part} runs backwards)`);
    for (let cpu = first; cpu <= last; cpu += 1) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/**
 * The CPUs that are online (/sys/devices/system/cpu/online), e.g. [0, 1]. The runner pins pods
 * to these with cpuset.
 * @param deps.fs Host files; default: the real filesystem.
 */
export async function onlineCpus(deps: { fs?: HostFs } = {}): Promise<number[]> {
  const fs = deps.fs ?? nodeHostFs();
  return parseCpuList(await fs.readText(HOST_PATHS.onlineCpus));
}

/** The running kernel's release (/proc/sys/kernel/osrelease), e.g. "6.1.0-18-amd64". */
export async function readKernelRelease(fs: HostFs): Promise<string> {
  return (await fs.readText(HOST_PATHS.kernelRelease)).trim();
}

/** 2 when the unified hierarchy is mounted at /sys/fs/cgroup, else 1 (v1 or hybrid, as Docker sees it). */
export async function readCgroupVersion(fs: HostFs): Promise<1 | 2> {
  return (await fs.exists(HOST_PATHS.cgroup2Controllers)) ? 2 : 1;
}

async function readOr(fs: HostFs, hostPath: string, fallback: string): Promise<string> {
  try {
    return await fs.readText(hostPath);
  } catch {
    return fallback;
  }
}

/**
 * Reads the host fingerprint recorded in results.json. Missing OS or kernel files give "unknown";
 * the logical core count falls back to the online CPU list when /proc/cpuinfo lists none.
 * @throws Error when neither /proc/cpuinfo nor the online CPU list gives a core count.
 */
export async function readHostFingerprint(deps: FingerprintDeps): Promise<HostFingerprint> {
  const fs = deps.fs ?? nodeHostFs();
  const cpu = parseCpuInfo(await readOr(fs, HOST_PATHS.cpuinfo, ''));
  const logicalCores = cpu.logicalCores > 0 ? cpu.logicalCores : (await onlineCpus({ fs }).catch(() => [])).length;
  if (logicalCores < 1) {
    throw new Error(`cannot count logical CPUs: neither ${HOST_PATHS.cpuinfo} nor ${HOST_PATHS.onlineCpus} lists any`);
  }
  const osText = await readOr(fs, HOST_PATHS.osRelease, await readOr(fs, HOST_PATHS.osReleaseFallback, ''));
  const cpuIdleDriver = (await readOr(fs, HOST_PATHS.cpuIdleDriver, '')).trim();
  return {
    cpuModel: cpu.model,
    logicalCores,
    aesNi: cpu.aesNi,
    avx2: cpu.avx2,
    kernel: (await readOr(fs, HOST_PATHS.kernelRelease, UNKNOWN)).trim() || UNKNOWN,
    os: osPrettyName(parseOsRelease(osText)),
    dockerVersion: deps.dockerVersion,
    nodeVersion: deps.nodeVersion ?? process.version,
    cgroupVersion: await readCgroupVersion(fs),
    ...(cpuIdleDriver ? { cpuIdleDriver } : {}),
  };
}
