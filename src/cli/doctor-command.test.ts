import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { memoryHostFs, type HostCheckDeps } from '../host/index.js';
import { registerDoctorCommand, renderCheck, renderSummary, runDoctor } from './doctor-command.js';

const GIB_BYTES = 2 ** 30;

/** A root host with two cores, AES-NI but no AVX2, no BPF, and everything else healthy. */
function fakeDeps(overrides: Partial<HostCheckDeps> = {}): Partial<HostCheckDeps> {
  return {
    fs: memoryHostFs({
      '/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Intel Xeon E5-2670\nflags\t\t: sse aes avx\n',
      '/sys/devices/system/cpu/online': '0-1\n',
      '/proc/filesystems': 'nodev\tcgroup2\n',
    }),
    docker: async () => ({ serverVersion: '20.10.24+dfsg1', rootDir: '/var/lib/docker', hasImage: async () => true,
      runResources: async () => [],
      initSandbox: async () => ({ where: 'a fake namespace', runScript: async (script) => ({ exitCode: 0, stdout: script.split('\n').map((_, index) => `@@sb-step ${index} 0`).join('\n'), stderr: '' }) }),
    }),
    run: async (_file, args) => (args[0] === '-V' ? { exitCode: 0, stdout: 'iptables v1.8.9 (nf_tables)', stderr: '' } : { exitCode: 0, stdout: '', stderr: '' }),
    findExecutable: async (name) => `/usr/sbin/${name}`,
    freeBytes: async () => 20 * GIB_BYTES,
    uid: 0,
    baseImageRefs: ['sidecar-bench/base:bookworm'],
    probeStalls: async () => ({ probeMs: 2000, thresholdUs: 500, perCpu: [{ cpu: 0, stalledShare: 0, longStallsPerSecond: 0, maxStallUs: 0 }] }),
    ...overrides,
  };
}

function buffer(): { text: () => string; write: (chunk: string) => void } {
  let text = '';
  return { text: () => text, write: (chunk) => void (text += chunk) };
}

describe('renderCheck', () => {
  it('prints an ok check on one line', () => {
    expect(renderCheck({ name: 'kernel', status: 'ok', detail: 'Linux 6.1.0' })).toBe('✔ kernel         Linux 6.1.0\n');
  });

  it('prints a failing check with its fix indented below', () => {
    expect(renderCheck({ name: 'Docker engine', status: 'fail', detail: 'no Docker engine is reachable', fix: 'Start a Docker engine.' })).toBe(
      '✖ Docker engine  no Docker engine is reachable\n    fix: Start a Docker engine.\n',
    );
  });

  it('marks a warning with "!"', () => {
    expect(renderCheck({ name: 'CPU cores', status: 'warn', detail: '1 online (0)', fix: 'Give the machine 2+ cores.' })).toBe('! CPU cores      1 online (0)\n    fix: Give the machine 2+ cores.\n');
  });
});

describe('renderSummary', () => {
  it('counts each status', () => {
    expect(renderSummary([{ name: 'a', status: 'ok', detail: '' }, { name: 'b', status: 'warn', detail: '', fix: 'x' }])).toBe('1 ok, 1 warning(s), 0 failure(s)\n');
  });
});

describe('runDoctor', () => {
  it('prints every check and returns 0 when only warnings', async () => {
    const out = buffer();
    expect(await runDoctor(fakeDeps(), out)).toBe(0);
    expect(out.text()).toBe(
      [
        '✔ Docker engine  reachable, server version 20.10.24+dfsg1',
        '✔ kernel         Linux 6.1.0-18-amd64',
        '✔ iptables nat   iptables v1.8.9 (nf_tables): nat table usable in a throwaway network namespace',
        '! BPF            no BPF syscall found, cgroup2 supported',
        '    fix: Only the ebpf topology needs this: use a kernel built with CONFIG_BPF_SYSCALL=y and CONFIG_CGROUP_BPF=y, or leave ebpf out of the scenario.',
        "! AES-NI / AVX2  AES-NI yes, AVX2 no (Intel Xeon E5-2670): mTLS figures will not be comparable to the seed's",
        "    fix: Measure mTLS on a CPU with both (on a VM, expose the host's CPU model, e.g. libvirt host-passthrough); compare mTLS runs only with runs from this machine.",
        '✔ CPU cores      2 online (0,1)',
        '✔ base image     sidecar-bench/base:bookworm present; debootstrap not needed',
        '✔ Docker disk    20.0 GiB free in /var/lib/docker',
        "✔ interception   the init container's 10-part rule set (2 REDIRECT, 2 owner matches) installs in a fake namespace",
        '✔ leftovers      no resources of killed runs',
        '✔ machine stalls cpu0 0.00 % stalled (0.0/s ≥ 1 ms, longest 0.0 ms)',
        '9 ok, 2 warning(s), 0 failure(s)',
        '',
      ].join('\n'),
    );
  });

  it('returns 2 and prints the fix when a check fails', async () => {
    const out = buffer();
    const docker = async () => Promise.reject(new BenchError('SB_DOCKER_UNREACHABLE', 'no Docker engine is reachable: connect ENOENT /var/run/docker.sock', [], 'Start a Docker engine, or point DOCKER_HOST at one.'));
    expect(await runDoctor(fakeDeps({ docker }), out)).toBe(2);
    const lines = out.text().split('\n');
    expect(lines.slice(0, 2)).toEqual(['✖ Docker engine  no Docker engine is reachable: connect ENOENT /var/run/docker.sock', '    fix: Start a Docker engine, or point DOCKER_HOST at one.']);
    expect(lines).toContain('! Docker disk    not checked: Docker engine unreachable');
    expect(lines).toContain('! leftovers      not checked: Docker engine unreachable');
    expect(lines.at(-2)).toBe('5 ok, 5 warning(s), 1 failure(s)');
  });
});

describe('registerDoctorCommand', () => {
  it('adds a described doctor command', () => {
    const program = new Command('sidecar-bench');
    const doctor = registerDoctorCommand(program);
    expect(doctor.name()).toBe('doctor');
    expect(program.commands.map((command) => command.name())).toEqual(['doctor']);
    expect(doctor.description()).toMatch(/^check this machine/);
  });
});
