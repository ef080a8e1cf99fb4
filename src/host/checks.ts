/**
 * The checks behind `sidecar-bench doctor`: can this machine run the benchmark, and will its
 * figures be comparable? Every check is read-only; the iptables probe runs in a throwaway network
 * namespace so nothing on the host changes.
 */
import { describeError, isBenchError } from '../errors.js';
import { BASE_IMAGE, PULLABLE_BASE_IMAGE } from '../images/index.js';
import { HOST_PATHS, onlineCpus, parseCpuInfo, readKernelRelease } from './fingerprint.js';
import { nodeHostFs, type HostFs } from './host-fs.js';
import { findExecutable, freeBytes, probeDocker, runCommand, type CommandResult, type DockerProbe } from './host-probes.js';
import type { HostStalls } from '../results/schema.js';
import { judgeFeatureProbe } from './ebpf-check.js';
import { checkInterception } from './interception-check.js';
import { checkLeftovers } from './leftovers-check.js';
import { describeStalls, isStallingMachine, probeStalls } from './stall-probe.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One check's outcome. A warning or a failure always says how to fix it. */
export type CheckResult =
  | { name: string; status: 'ok'; detail: string; fix?: undefined }
  | { name: string; status: 'warn' | 'fail'; detail: string; fix: string };

/** Everything the checks touch, injectable for tests. */
export interface HostCheckDeps {
  /** Host files (/proc, /sys). */
  fs: HostFs;
  /** Connects to the Docker engine; rejects when unreachable (a BenchError's hint is used as the fix). */
  docker(): Promise<DockerProbe>;
  /** Runs a command without a shell; never rejects. */
  run(file: string, args: readonly string[]): Promise<CommandResult>;
  /** Full path of an executable, or undefined. */
  findExecutable(name: string): Promise<string | undefined>;
  /** Bytes available on the filesystem holding a path; rejects when the path is not visible. */
  freeBytes(path: string): Promise<number>;
  /** Effective uid of this process; undefined off POSIX. */
  uid: number | undefined;
  /** Base image references; any one present means debootstrap is not needed. */
  baseImageRefs: readonly string[];
  /** Watches the listed CPUs for stalls (src/host/stall-probe.ts). */
  probeStalls(cpus: readonly number[]): Promise<HostStalls>;
}

/** The real host. */
export function defaultHostCheckDeps(): HostCheckDeps {
  return {
    fs: nodeHostFs(),
    docker: () => probeDocker(),
    run: (file, args) => runCommand(file, args),
    findExecutable: (name) => findExecutable(name),
    freeBytes,
    uid: process.geteuid?.(),
    baseImageRefs: [BASE_IMAGE, PULLABLE_BASE_IMAGE],
    probeStalls: (cpus) => probeStalls(cpus),
  };
}

/** Below this kernel, sockhash and bpf_msg_redirect_hash (the ebpf topology) do not exist. */
export const MIN_KERNEL_VERSION = [4, 18] as const;
/** Warn when the Docker root has less free space than this: images plus run logs need it. */
export const MIN_FREE_DOCKER_ROOT_BYTES = 5 * 2 ** 30;

const GIB_BYTES = 2 ** 30;

export type DockerOutcome = { reachable: true; probe: DockerProbe } | { reachable: false; error: unknown };

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'warn', detail, fix });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';

/** The Docker engine answers; prints its version. */
export function checkDocker(docker: DockerOutcome, uid: number | undefined): CheckResult {
  const name = 'Docker engine';
  if (docker.reachable) return ok(name, `reachable, server version ${docker.probe.serverVersion}`);
  const hint = isBenchError(docker.error) && docker.error.hint ? docker.error.hint : 'Start a Docker engine, or point DOCKER_HOST at one.';
  const notRoot = uid !== undefined && uid !== 0 ? ' Not root: the socket needs the docker group (`sudo usermod -aG docker $USER`, then log in again).' : '';
  return fail(name, describeError(docker.error), `${hint}${notRoot}`);
}

/** The kernel is Linux and new enough for every topology. */
export async function checkKernel(fs: HostFs): Promise<CheckResult> {
  const name = 'kernel';
  let release: string;
  try {
    release = await readKernelRelease(fs);
  } catch (error) {
    return fail(name, `cannot read ${HOST_PATHS.kernelRelease}: ${describeError(error)}`, 'Run sidecar-bench on a Linux host: it reads /proc and needs iptables and cgroups.');
  }
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(release) ?? []).slice(1).map(Number);
  const [minMajor, minMinor] = MIN_KERNEL_VERSION;
  if (major < minMajor || (major === minMajor && minor < minMinor)) {
    return warn(name, `Linux ${release}, older than ${minMajor}.${minMinor}`, `Use a kernel ${minMajor}.${minMinor} or newer for the ebpf topology (sockhash, bpf_msg_redirect_hash); the others run.`);
  }
  return ok(name, `Linux ${release}`);
}

/** iptables' nat table works, tried in a throwaway network namespace (`unshare --net`). */
export async function checkIptablesNat(deps: HostCheckDeps): Promise<CheckResult> {
  const name = 'iptables nat';
  const [iptables, unshare] = await Promise.all([deps.findExecutable('iptables'), deps.findExecutable('unshare')]);
  if (!iptables) return warn(name, 'iptables is not installed on the host, so the nat table cannot be tried here', 'apt-get install iptables (the init container brings its own; this only lets doctor test the kernel).');
  if (!unshare) return warn(name, 'unshare is not installed, so no throwaway network namespace can be made', 'apt-get install util-linux.');
  const variant = firstLine((await deps.run(iptables, ['-V'])).stdout) || 'iptables';
  const asRoot = deps.uid === 0;
  const namespaceArgs = asRoot ? ['--net'] : ['--user', '--map-root-user', '--net'];
  const result = await deps.run(unshare, [...namespaceArgs, iptables, '-t', 'nat', '-L', '-n']);
  const where = asRoot ? 'a throwaway network namespace' : 'a throwaway user + network namespace';
  if (result.exitCode === 0) return ok(name, `${variant}: nat table usable in ${where}${asRoot ? '' : ' (not root)'}`);
  const reason = firstLine(result.stderr) || `exit code ${result.exitCode ?? 'none'}`;
  if (!asRoot) {
    return warn(name, `not root, and ${where} could not be used: ${reason}`, 'Run `sudo sidecar-bench doctor` to test the nat table; the benchmark itself needs root or the docker group.');
  }
  if (reason.startsWith('unshare:')) {
    return warn(name, `cannot create a throwaway network namespace: ${reason}`, 'Run doctor as root with CAP_SYS_ADMIN (not inside a restricted container) to test the nat table.');
  }
  return fail(name, `${variant}: nat table unusable: ${reason}`, 'Load the kernel NAT support the sidecar topologies REDIRECT with: `modprobe nft_chain_nat` (nf_tables) or `modprobe iptable_nat` (legacy).');
}

async function readOrUndefined(fs: HostFs, hostPath: string): Promise<string | undefined> {
  try {
    return await fs.readText(hostPath);
  } catch {
    return undefined;
  }
}

/** The kernel has the BPF syscall (bpffs or `bpf_prog_load` in kallsyms) and cgroup2, which the ebpf topology needs. */
export async function checkBpf(fs: HostFs, docker?: DockerOutcome): Promise<CheckResult> {
  const name = 'BPF';
  let syscallEvidence: string | undefined;
  if (await fs.exists('/sys/fs/bpf')) syscallEvidence = '/sys/fs/bpf exists';
  else if (/\sbpf_prog_load$/m.test((await readOrUndefined(fs, '/proc/kallsyms')) ?? '')) syscallEvidence = 'bpf_prog_load in /proc/kallsyms';
  const hasCgroup2 = /^\S*\s+cgroup2$/m.test((await readOrUndefined(fs, '/proc/filesystems')) ?? '');
  const unprivileged = (await readOrUndefined(fs, '/proc/sys/kernel/unprivileged_bpf_disabled'))?.trim();
  const parts = [
    syscallEvidence ? `BPF syscall (${syscallEvidence})` : 'no BPF syscall found',
    hasCgroup2 ? 'cgroup2 supported' : 'no cgroup2 in /proc/filesystems',
    ...(unprivileged === undefined ? [] : [`unprivileged_bpf_disabled=${unprivileged}`]),
  ];
  // With the ebpf image built, the loader proves it on this kernel: load + attach every program.
  const probe = docker?.reachable && docker.probe.ebpfFeatures ? await docker.probe.ebpfFeatures() : undefined;
  const judged = probe === undefined ? undefined : judgeFeatureProbe(probe);
  const probeDetail =
    docker?.reachable && docker.probe.ebpfFeatures ? (judged ? `; kernel probe: ${judged.summary}` : '; kernel probe not run: the ebpf image is not built (`sidecar-bench images` builds it)') : '';
  const detail = `${parts.join(', ')}${probeDetail}`;
  if (judged && judged.missing.length > 0) return warn(name, detail, 'Only the ebpf topologies need this: use a kernel ≥ 5.15 with CONFIG_BPF_SYSCALL, CONFIG_CGROUP_BPF, CONFIG_NET_SOCK_MSG and cgroup v2, or leave the ebpf topologies out of the scenario.');
  if (syscallEvidence && hasCgroup2) return ok(name, detail);
  return warn(name, detail, 'Only the ebpf topology needs this: use a kernel built with CONFIG_BPF_SYSCALL=y and CONFIG_CGROUP_BPF=y, or leave ebpf out of the scenario.');
}

/** AES-NI and AVX2, without which mTLS figures are not comparable to the seed's. */
export async function checkCpuFeatures(fs: HostFs): Promise<CheckResult> {
  const name = 'AES-NI / AVX2';
  const text = await readOrUndefined(fs, HOST_PATHS.cpuinfo);
  if (text === undefined) return warn(name, `cannot read ${HOST_PATHS.cpuinfo}`, 'Run on a Linux host with /proc mounted.');
  const cpu = parseCpuInfo(text);
  const detail = `AES-NI ${cpu.aesNi ? 'yes' : 'no'}, AVX2 ${cpu.avx2 ? 'yes' : 'no'} (${cpu.model})`;
  if (cpu.aesNi && cpu.avx2) return ok(name, detail);
  return warn(name, `${detail}: mTLS figures will not be comparable to the seed's`, "Measure mTLS on a CPU with both (on a VM, expose the host's CPU model, e.g. libvirt host-passthrough); compare mTLS runs only with runs from this machine.");
}

/** 2+ online cores, so the load generator and the server pod can be pinned apart. */
export async function checkCores(fs: HostFs): Promise<CheckResult> {
  const name = 'CPU cores';
  let cpus: number[];
  try {
    cpus = await onlineCpus({ fs });
  } catch (error) {
    return warn(name, `cannot read ${HOST_PATHS.onlineCpus}: ${describeError(error)}`, 'Run on a Linux host with /sys mounted, or set `placement: { cpusets: none }` in the scenario.');
  }
  const detail = `${cpus.length} online (${cpus.join(',')})`;
  if (cpus.length >= 2) return ok(name, detail);
  return warn(name, `${detail}: pods cannot be pinned apart`, 'Give the machine 2+ cores; until then set `placement: { cpusets: none }` in the scenario (client and server will share a core).');
}

/** debootstrap is present, or not needed because the base image is. */
export async function checkBaseImage(deps: HostCheckDeps, docker: DockerOutcome): Promise<CheckResult> {
  const name = 'base image';
  const [preferred = BASE_IMAGE] = deps.baseImageRefs;
  if (docker.reachable) {
    for (const ref of deps.baseImageRefs) {
      if (await docker.probe.hasImage(ref)) return ok(name, `${ref} present; debootstrap not needed`);
    }
  }
  const absence = docker.reachable ? `${deps.baseImageRefs.join(' / ')} absent` : 'base image presence unknown (Docker unreachable)';
  const debootstrap = await deps.findExecutable('debootstrap');
  if (debootstrap && deps.uid === 0) return ok(name, `${absence}; will be pulled or bootstrapped with ${debootstrap} at the first build`);
  if (debootstrap) {
    return warn(name, `${absence}; ${debootstrap} is present but bootstrapping needs root`, `Run the first build as root, or make ${PULLABLE_BASE_IMAGE} pullable (needed only when ${preferred} is absent and not pullable).`);
  }
  return warn(name, `${absence}, and debootstrap is not installed`, `apt-get install debootstrap, or \`docker load\` ${PULLABLE_BASE_IMAGE} (needed only when ${preferred} is absent and not pullable).`);
}

/** At least {@link MIN_FREE_DOCKER_ROOT_BYTES} free in the Docker root. */
export async function checkDockerDisk(deps: HostCheckDeps, docker: DockerOutcome): Promise<CheckResult> {
  const name = 'Docker disk';
  if (!docker.reachable) return warn(name, 'not checked: Docker engine unreachable', 'Fix the Docker engine check first.');
  const { rootDir } = docker.probe;
  let available: number;
  try {
    available = await deps.freeBytes(rootDir);
  } catch (error) {
    return warn(name, `cannot measure free space in ${rootDir} from here: ${describeError(error)}`, `Check it on the engine's host: \`df -h ${rootDir}\` should show ${MIN_FREE_DOCKER_ROOT_BYTES / GIB_BYTES} GiB or more free.`);
  }
  const detail = `${(available / GIB_BYTES).toFixed(1)} GiB free in ${rootDir}`;
  if (available >= MIN_FREE_DOCKER_ROOT_BYTES) return ok(name, detail);
  return warn(name, `${detail}, under ${MIN_FREE_DOCKER_ROOT_BYTES / GIB_BYTES} GiB`, `Free space in ${rootDir} (\`docker image prune\`, \`docker system df\`): images and runs need ${MIN_FREE_DOCKER_ROOT_BYTES / GIB_BYTES} GiB.`);
}

/** The machine does not take its CPUs away for long, often enough to set P99 (hypervisor, interrupts). */
export async function checkMachineStalls(deps: HostCheckDeps): Promise<CheckResult> {
  const name = 'machine stalls';
  const stalls = await deps.probeStalls(await onlineCpus({ fs: deps.fs }));
  const detail = describeStalls(stalls);
  if (!isStallingMachine(stalls)) return ok(name, detail);
  return warn(
    name,
    `${detail}: a request crossing several wake-ups meets a stall about as often as P99, so P99 figures and differences here carry the machine's stalls`,
    'For P99 work use dedicated hardware (bare metal, or vCPUs pinned to host cores); here compare P99 only between runs of this machine, with many trials, and lean on P50 and the CIs.',
  );
}

/** Turns a check that throws into a failed result, so one broken probe never hides the others. */
async function guard(name: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return fail(name, `check crashed: ${describeError(error)}`, 'This is a bug in doctor: please report it with this message.');
  }
}

/** Runs every check, in display order. Never rejects. */
export async function runHostChecks(deps: HostCheckDeps): Promise<CheckResult[]> {
  const docker: DockerOutcome = await deps.docker().then(
    (probe) => ({ reachable: true as const, probe }),
    (error: unknown) => ({ reachable: false as const, error }),
  );
  const concurrent = await Promise.all([
    checkDocker(docker, deps.uid),
    guard('kernel', () => checkKernel(deps.fs)),
    guard('iptables nat', () => checkIptablesNat(deps)),
    guard('BPF', () => checkBpf(deps.fs, docker)),
    guard('AES-NI / AVX2', () => checkCpuFeatures(deps.fs)),
    guard('CPU cores', () => checkCores(deps.fs)),
    guard('base image', () => checkBaseImage(deps, docker)),
    guard('Docker disk', () => checkDockerDisk(deps, docker)),
    guard('interception', () => checkInterception(deps, docker)),
    guard('leftovers', () => checkLeftovers(docker)),
  ]);
  // After the others, alone: their commands would read as stalls.
  return [...concurrent, await guard('machine stalls', () => checkMachineStalls(deps))];
}
