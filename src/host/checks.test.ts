import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { checkBaseImage, checkBpf, checkMachineStalls, checkCores, checkCpuFeatures, checkDocker, checkDockerDisk, checkIptablesNat, checkKernel, runHostChecks, type HostCheckDeps } from './checks.js';
import { memoryHostFs } from './host-fs.js';
import type { CommandResult, DockerProbe } from './host-probes.js';

const GIB_BYTES = 2 ** 30;

const HEALTHY_FILES = {
  '/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
  '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: sse aes avx2\n',
  '/sys/devices/system/cpu/online': '0-1\n',
  '/sys/fs/bpf/': '',
  '/proc/filesystems': 'nodev\tsysfs\nnodev\tcgroup\nnodev\tcgroup2\n\text4\n',
  '/proc/sys/kernel/unprivileged_bpf_disabled': '2\n',
};

const probe = (images: readonly string[] = ['sidecar-bench/base:bookworm']): DockerProbe => ({
  serverVersion: '20.10.24+dfsg1',
  rootDir: '/var/lib/docker',
  hasImage: async (ref) => images.includes(ref),
  runResources: async () => [],
  // Every line of the step script is one step; all succeed.
  initSandbox: async () => ({ where: 'a fake namespace', runScript: async (script) => ({ exitCode: 0, stdout: script.split('\n').map((_, index) => `@@sb-step ${index} 0`).join('\n'), stderr: '' }) }),
});

/** A healthy root host; `commands` maps "file arg arg" to its result. */
function fakeDeps(overrides: Partial<HostCheckDeps> = {}, commands: Record<string, Partial<CommandResult>> = {}): HostCheckDeps {
  const executables: Record<string, string> = { iptables: '/usr/sbin/iptables', unshare: '/usr/bin/unshare', debootstrap: '/usr/sbin/debootstrap' };
  const defaults: Record<string, Partial<CommandResult>> = {
    '/usr/sbin/iptables -V': { exitCode: 0, stdout: 'iptables v1.8.9 (nf_tables)\n' },
    '/usr/bin/unshare --net /usr/sbin/iptables -t nat -L -n': { exitCode: 0, stdout: 'Chain PREROUTING (policy ACCEPT)\n' },
  };
  return {
    fs: memoryHostFs(HEALTHY_FILES),
    docker: async () => probe(),
    run: async (file, args) => ({ exitCode: 1, stdout: '', stderr: `no fake for ${file}`, ...({ ...defaults, ...commands })[[file, ...args].join(' ')] }),
    findExecutable: async (name) => executables[name],
    freeBytes: async () => 80 * GIB_BYTES,
    uid: 0,
    baseImageRefs: ['sidecar-bench/base:bookworm', 'debian:bookworm-slim'],
    probeStalls: async (cpus) => ({ probeMs: 2000, thresholdUs: 500, perCpu: cpus.map((cpu) => ({ cpu, stalledShare: 0.0002, longStallsPerSecond: 0, maxStallUs: 600 })) }),
    ...overrides,
  };
}

const reachable = (p: DockerProbe = probe()) => ({ reachable: true as const, probe: p });
const unreachable = { reachable: false as const, error: new BenchError('SB_DOCKER_UNREACHABLE', 'no Docker engine is reachable: connect ENOENT /var/run/docker.sock', [], 'Start a Docker engine.') };

describe('runHostChecks', () => {
  it('passes every check on a healthy host, in display order', async () => {
    expect(await runHostChecks(fakeDeps())).toEqual([
      { name: 'Docker engine', status: 'ok', detail: 'reachable, server version 20.10.24+dfsg1' },
      { name: 'kernel', status: 'ok', detail: 'Linux 6.1.0-18-amd64' },
      { name: 'iptables nat', status: 'ok', detail: 'iptables v1.8.9 (nf_tables): nat table usable in a throwaway network namespace' },
      { name: 'BPF', status: 'ok', detail: 'BPF syscall (/sys/fs/bpf exists), cgroup2 supported, unprivileged_bpf_disabled=2' },
      { name: 'AES-NI / AVX2', status: 'ok', detail: 'AES-NI yes, AVX2 yes (AMD EPYC)' },
      { name: 'CPU cores', status: 'ok', detail: '2 online (0,1)' },
      { name: 'base image', status: 'ok', detail: 'sidecar-bench/base:bookworm present; debootstrap not needed' },
      { name: 'Docker disk', status: 'ok', detail: '80.0 GiB free in /var/lib/docker' },
      { name: 'interception', status: 'ok', detail: "the init container's 10-part rule set (2 REDIRECT, 2 owner matches) installs in a fake namespace" },
      { name: 'leftovers', status: 'ok', detail: 'no resources of killed runs' },
      { name: 'machine stalls', status: 'ok', detail: 'cpu0 0.02 % stalled (0.0/s ≥ 1 ms, longest 0.6 ms), cpu1 0.02 % stalled (0.0/s ≥ 1 ms, longest 0.6 ms)' },
    ]);
  });

  it('turns a check that throws into a failure with a fix', async () => {
    const checks = await runHostChecks(fakeDeps({ docker: async () => ({ ...probe(), hasImage: async () => Promise.reject(new Error('socket hang up')) }) }));
    expect(checks[6]).toEqual({ name: 'base image', status: 'fail', detail: 'check crashed: socket hang up', fix: 'This is a bug in doctor: please report it with this message.' });
  });
});

describe('checkDocker', () => {
  it("fails with the BenchError's hint as the fix", () => {
    expect(checkDocker(unreachable, 0)).toEqual({ name: 'Docker engine', status: 'fail', detail: 'no Docker engine is reachable: connect ENOENT /var/run/docker.sock', fix: 'Start a Docker engine.' });
  });

  it('mentions the docker group when not root', () => {
    expect(checkDocker(unreachable, 1000).fix).toBe('Start a Docker engine. Not root: the socket needs the docker group (`sudo usermod -aG docker $USER`, then log in again).');
  });
});

describe('checkKernel', () => {
  it('warns below 4.18', async () => {
    expect(await checkKernel(memoryHostFs({ '/proc/sys/kernel/osrelease': '4.14.0-el7\n' }))).toEqual({
      name: 'kernel',
      status: 'warn',
      detail: 'Linux 4.14.0-el7, older than 4.18',
      fix: 'Use a kernel 4.18 or newer for the ebpf topology (sockhash, bpf_msg_redirect_hash); the others run.',
    });
  });

  it('fails off Linux', async () => {
    const check = await checkKernel(memoryHostFs({}));
    expect(check.status).toBe('fail');
    expect(check.fix).toBe('Run sidecar-bench on a Linux host: it reads /proc and needs iptables and cgroups.');
  });
});

describe('checkIptablesNat', () => {
  it('fails when the nat table is unusable as root', async () => {
    const deps = fakeDeps({}, { '/usr/bin/unshare --net /usr/sbin/iptables -t nat -L -n': { exitCode: 3, stderr: "iptables v1.8.9 (nf_tables): can't initialize iptables table `nat': Table does not exist\n" } });
    expect(await checkIptablesNat(deps)).toEqual({
      name: 'iptables nat',
      status: 'fail',
      detail: "iptables v1.8.9 (nf_tables): nat table unusable: iptables v1.8.9 (nf_tables): can't initialize iptables table `nat': Table does not exist",
      fix: 'Load the kernel NAT support the sidecar topologies REDIRECT with: `modprobe nft_chain_nat` (nf_tables) or `modprobe iptable_nat` (legacy).',
    });
  });

  it('warns, not fails, when unshare itself is refused', async () => {
    const deps = fakeDeps({}, { '/usr/bin/unshare --net /usr/sbin/iptables -t nat -L -n': { exitCode: 1, stderr: 'unshare: unshare failed: Operation not permitted\n' } });
    expect(await checkIptablesNat(deps)).toMatchObject({ status: 'warn', detail: 'cannot create a throwaway network namespace: unshare: unshare failed: Operation not permitted' });
  });

  it('uses a user namespace when not root, and says so when that fails', async () => {
    const deps = fakeDeps({ uid: 1000 }, { '/usr/bin/unshare --user --map-root-user --net /usr/sbin/iptables -t nat -L -n': { exitCode: 1, stderr: 'unshare: unshare failed: Operation not permitted' } });
    expect(await checkIptablesNat(deps)).toEqual({
      name: 'iptables nat',
      status: 'warn',
      detail: 'not root, and a throwaway user + network namespace could not be used: unshare: unshare failed: Operation not permitted',
      fix: 'Run `sudo sidecar-bench doctor` to test the nat table; the benchmark itself needs root or the docker group.',
    });
  });

  it('passes for a non-root user when the user namespace works', async () => {
    const deps = fakeDeps({ uid: 1000 }, { '/usr/bin/unshare --user --map-root-user --net /usr/sbin/iptables -t nat -L -n': { exitCode: 0 } });
    expect(await checkIptablesNat(deps)).toMatchObject({ status: 'ok', detail: 'iptables v1.8.9 (nf_tables): nat table usable in a throwaway user + network namespace (not root)' });
  });

  it('warns when iptables is not installed', async () => {
    const check = await checkIptablesNat(fakeDeps({ findExecutable: async () => undefined }));
    expect(check).toMatchObject({ status: 'warn', fix: 'apt-get install iptables (the init container brings its own; this only lets doctor test the kernel).' });
  });
});

describe('checkBpf', () => {
  it('accepts bpf_prog_load in kallsyms when bpffs is not there', async () => {
    const fs = memoryHostFs({ '/proc/kallsyms': '0000000000000000 t bpf_prog_load_check\n0000000000000000 t bpf_prog_load\n', '/proc/filesystems': 'nodev\tcgroup2\n' });
    expect(await checkBpf(fs)).toEqual({ name: 'BPF', status: 'ok', detail: 'BPF syscall (bpf_prog_load in /proc/kallsyms), cgroup2 supported' });
  });

  it('warns without the syscall or cgroup2', async () => {
    const fs = memoryHostFs({ '/proc/kallsyms': '0000000000000000 t bpf_prog_load_check\n', '/proc/filesystems': 'nodev\tcgroup\n' });
    expect(await checkBpf(fs)).toEqual({
      name: 'BPF',
      status: 'warn',
      detail: 'no BPF syscall found, no cgroup2 in /proc/filesystems',
      fix: 'Only the ebpf topology needs this: use a kernel built with CONFIG_BPF_SYSCALL=y and CONFIG_CGROUP_BPF=y, or leave ebpf out of the scenario.',
    });
  });

  it('adds the ebpf image’s kernel probe, and warns naming what failed to attach', async () => {
    const fs = memoryHostFs({ '/proc/kallsyms': '0000000000000000 t bpf_prog_load\n', '/proc/filesystems': 'nodev\tcgroup2\n' });
    const docker = (lines: string[] | undefined) => ({ reachable: true as const, probe: { ebpfFeatures: async () => lines } as unknown as DockerProbe });
    const notBuilt = await checkBpf(fs, docker(undefined));
    expect(notBuilt.status).toBe('ok');
    expect(notBuilt.detail).toContain('kernel probe not run: the ebpf image is not built');
    const missing = await checkBpf(fs, docker(['cgroup2 yes', 'bpffs yes', 'load yes', 'sk_msg-attach yes', 'attach-sockops yes', 'attach-connect4 no', 'attach-getsockopt yes']));
    expect(missing.status).toBe('warn');
    expect(missing.detail).toContain('missing: attach-connect4: ebpf-connect and ebpf: cgroup/connect4');
  });
});

describe('checkCpuFeatures', () => {
  it('warns without AVX2', async () => {
    const fs = memoryHostFs({ '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Intel Xeon E5-2670\nflags\t\t: sse aes avx\n' });
    expect(await checkCpuFeatures(fs)).toEqual({
      name: 'AES-NI / AVX2',
      status: 'warn',
      detail: "AES-NI yes, AVX2 no (Intel Xeon E5-2670): mTLS figures will not be comparable to the seed's",
      fix: "Measure mTLS on a CPU with both (on a VM, expose the host's CPU model, e.g. libvirt host-passthrough); compare mTLS runs only with runs from this machine.",
    });
  });
});

describe('checkCores', () => {
  it('warns on one core', async () => {
    expect(await checkCores(memoryHostFs({ '/sys/devices/system/cpu/online': '0\n' }))).toEqual({
      name: 'CPU cores',
      status: 'warn',
      detail: '1 online (0): pods cannot be pinned apart',
      fix: 'Give the machine 2+ cores; until then set `placement: { cpusets: none }` in the scenario (client and server will share a core).',
    });
  });
});

describe('checkBaseImage', () => {
  it('accepts the pullable image when the local tag is absent', async () => {
    expect(await checkBaseImage(fakeDeps(), reachable(probe(['debian:bookworm-slim'])))).toMatchObject({ status: 'ok', detail: 'debian:bookworm-slim present; debootstrap not needed' });
  });

  it('is fine with debootstrap as root when no base image is present', async () => {
    expect(await checkBaseImage(fakeDeps(), reachable(probe([])))).toEqual({
      name: 'base image',
      status: 'ok',
      detail: 'sidecar-bench/base:bookworm / debian:bookworm-slim absent; will be pulled or bootstrapped with /usr/sbin/debootstrap at the first build',
    });
  });

  it('warns without debootstrap', async () => {
    expect(await checkBaseImage(fakeDeps({ findExecutable: async () => undefined }), reachable(probe([])))).toEqual({
      name: 'base image',
      status: 'warn',
      detail: 'sidecar-bench/base:bookworm / debian:bookworm-slim absent, and debootstrap is not installed',
      fix: 'apt-get install debootstrap, or `docker load` debian:bookworm-slim (needed only when sidecar-bench/base:bookworm is absent and not pullable).',
    });
  });

  it('warns when debootstrap is there but we are not root', async () => {
    expect(await checkBaseImage(fakeDeps({ uid: 1000 }), unreachable)).toMatchObject({
      status: 'warn',
      detail: 'base image presence unknown (Docker unreachable); /usr/sbin/debootstrap is present but bootstrapping needs root',
    });
  });
});

describe('checkDockerDisk', () => {
  it('warns under 5 GiB', async () => {
    expect(await checkDockerDisk(fakeDeps({ freeBytes: async () => 4.5 * GIB_BYTES }), reachable())).toEqual({
      name: 'Docker disk',
      status: 'warn',
      detail: '4.5 GiB free in /var/lib/docker, under 5 GiB',
      fix: 'Free space in /var/lib/docker (`docker image prune`, `docker system df`): images and runs need 5 GiB.',
    });
  });

  it('passes at exactly 5 GiB', async () => {
    expect(await checkDockerDisk(fakeDeps({ freeBytes: async () => 5 * GIB_BYTES }), reachable())).toMatchObject({ status: 'ok', detail: '5.0 GiB free in /var/lib/docker' });
  });

  it('warns when the root directory is not visible (remote engine)', async () => {
    const deps = fakeDeps({ freeBytes: async () => Promise.reject(new Error("ENOENT: no such file or directory, statfs '/var/lib/docker'")) });
    expect(await checkDockerDisk(deps, reachable())).toMatchObject({ status: 'warn', fix: 'Check it on the engine\'s host: `df -h /var/lib/docker` should show 5 GiB or more free.' });
  });

  it('is not checked when Docker is unreachable', async () => {
    expect(await checkDockerDisk(fakeDeps(), unreachable)).toEqual({ name: 'Docker disk', status: 'warn', detail: 'not checked: Docker engine unreachable', fix: 'Fix the Docker engine check first.' });
  });
});

describe('checkMachineStalls', () => {
  it('warns when any CPU loses 0.1 % of its time or more to stalls, naming each CPU', async () => {
    const stalls = { probeMs: 2000, thresholdUs: 500, perCpu: [
      { cpu: 0, stalledShare: 0.0009, longStallsPerSecond: 0.5, maxStallUs: 1200 },
      { cpu: 1, stalledShare: 0.0062, longStallsPerSecond: 1.5, maxStallUs: 3400 },
    ] };
    const result = await checkMachineStalls(fakeDeps({ probeStalls: async () => stalls }));
    expect(result.status).toBe('warn');
    expect(result.detail).toBe(
      'cpu0 0.09 % stalled (0.5/s ≥ 1 ms, longest 1.2 ms), cpu1 0.62 % stalled (1.5/s ≥ 1 ms, longest 3.4 ms): a request crossing several wake-ups meets a stall about as often as P99, so P99 figures and differences here carry the machine\'s stalls',
    );
    expect(result.fix).toMatch(/dedicated hardware/);
  });

  it('probes the online CPUs', async () => {
    const probed: number[][] = [];
    await checkMachineStalls(fakeDeps({ probeStalls: async (cpus) => (probed.push([...cpus]), { probeMs: 1, thresholdUs: 500, perCpu: [] }) }));
    expect(probed).toEqual([[0, 1]]);
  });
});
