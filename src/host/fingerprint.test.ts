import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostFingerprintSchema } from '../results/schema.js';
import { onlineCpus, osPrettyName, parseCpuInfo, parseCpuList, parseOsRelease, readHostFingerprint } from './fingerprint.js';
import { memoryHostFs, nodeHostFs } from './host-fs.js';

/** Two processors of an AMD EPYC, cut down; `vaes` sits next to `aes` on purpose. */
const CPUINFO_EPYC = `processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC 7B13
flags\t\t: fpu vme sse sse2 pclmulqdq ssse3 aes xsave avx avx2 bmi2 vaes vpclmulqdq

processor\t: 1
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC 7B13
flags\t\t: fpu vme sse sse2 pclmulqdq ssse3 aes xsave avx avx2 bmi2 vaes vpclmulqdq
`;

/** An older Xeon without AVX2, and a QEMU CPU that only lists vaes (not aes). */
const CPUINFO_NO_AVX2 = `processor\t: 0
model name\t: Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz
flags\t\t: fpu sse sse2 aes avx
`;
const CPUINFO_NO_AES = `processor\t: 0
model name\t: QEMU Virtual CPU version 2.5+
flags\t\t: fpu sse sse2 vaes avx2
`;
const CPUINFO_ARM64 = `processor\t: 0
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid

processor\t: 1
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid

processor\t: 2
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid

processor\t: 3
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid

Hardware\t: BCM2835
Model\t\t: Raspberry Pi 4 Model B Rev 1.4
`;

const OS_RELEASE_DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

describe('parseCpuInfo', () => {
  it('reads model, processor count and whole-word flags', () => {
    expect(parseCpuInfo(CPUINFO_EPYC)).toEqual({ model: 'AMD EPYC 7B13', logicalCores: 2, aesNi: true, avx2: true });
  });

  it('reports a missing avx2', () => {
    expect(parseCpuInfo(CPUINFO_NO_AVX2)).toEqual({ model: 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz', logicalCores: 1, aesNi: true, avx2: false });
  });

  it('does not take vaes for aes', () => {
    expect(parseCpuInfo(CPUINFO_NO_AES)).toEqual({ model: 'QEMU Virtual CPU version 2.5+', logicalCores: 1, aesNi: false, avx2: true });
  });

  it('reads arm64 Features and Hardware', () => {
    expect(parseCpuInfo(CPUINFO_ARM64)).toEqual({ model: 'BCM2835', logicalCores: 4, aesNi: true, avx2: false });
  });

  it('gives "unknown" and 0 cores for empty text', () => {
    expect(parseCpuInfo('')).toEqual({ model: 'unknown', logicalCores: 0, aesNi: false, avx2: false });
  });
});

describe('parseOsRelease', () => {
  it('unquotes values and keeps unquoted ones', () => {
    const fields = parseOsRelease(OS_RELEASE_DEBIAN);
    expect(fields.PRETTY_NAME).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(fields.VERSION_CODENAME).toBe('bookworm');
    expect(fields.HOME_URL).toBe('https://www.debian.org/');
  });

  it('handles single quotes, escapes and comments', () => {
    expect(parseOsRelease("# comment\nNAME='Alpine Linux'\nPRETTY_NAME=\"Say \\\"hi\\\"\"\n")).toEqual({ NAME: 'Alpine Linux', PRETTY_NAME: 'Say "hi"' });
  });

  it('falls back to NAME VERSION, then unknown', () => {
    expect(osPrettyName({ NAME: 'Fedora Linux', VERSION: '40' })).toBe('Fedora Linux 40');
    expect(osPrettyName({})).toBe('unknown');
  });
});

describe('parseCpuList', () => {
  it.each([
    ['0-1\n', [0, 1]],
    ['0', [0]],
    ['0,2-3,7', [0, 2, 3, 7]],
    ['4-5,0', [0, 4, 5]],
    ['', []],
  ])('%j → %j', (text, cpus) => {
    expect(parseCpuList(text)).toEqual(cpus);
  });

  it('rejects text that is not a CPU list, naming it', () => {
    expect(() => parseCpuList('0-a')).toThrow('not a CPU list: "0-a" (expected e.g. "0-1" or "0,2-3")');
    expect(() => parseCpuList('3-1')).toThrow('not a CPU list: "3-1" (range 3-1 runs backwards)');
  });
});

describe('onlineCpus', () => {
  it('reads /sys/devices/system/cpu/online', async () => {
    expect(await onlineCpus({ fs: memoryHostFs({ '/sys/devices/system/cpu/online': '0-3\n' }) })).toEqual([0, 1, 2, 3]);
  });
});

describe('readHostFingerprint', () => {
  const fixture = {
    '/proc/cpuinfo': CPUINFO_EPYC,
    '/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
    '/etc/os-release': OS_RELEASE_DEBIAN,
    '/sys/devices/system/cpu/online': '0-1\n',
  };

  it('reads a cgroup v1 host from memory', async () => {
    const fingerprint = await readHostFingerprint({ fs: memoryHostFs(fixture), dockerVersion: '20.10.24+dfsg1', nodeVersion: 'v20.20.2' });
    expect(fingerprint).toEqual({
      cpuModel: 'AMD EPYC 7B13',
      logicalCores: 2,
      aesNi: true,
      avx2: true,
      kernel: '6.1.0-18-amd64',
      os: 'Debian GNU/Linux 12 (bookworm)',
      dockerVersion: '20.10.24+dfsg1',
      nodeVersion: 'v20.20.2',
      cgroupVersion: 1,
    });
    expect(hostFingerprintSchema.parse(fingerprint)).toEqual(fingerprint);
  });

  it('sees cgroup v2, the /usr/lib os-release and falls back to the online list for cores', async () => {
    const fs = memoryHostFs({
      '/proc/cpuinfo': 'model name\t: Some CPU\nflags\t: aes\n',
      '/proc/sys/kernel/osrelease': '6.8.0\n',
      '/usr/lib/os-release': 'NAME="Ubuntu"\nVERSION="24.04 LTS"\n',
      '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
      '/sys/devices/system/cpu/online': '0-7\n',
    });
    const fingerprint = await readHostFingerprint({ fs, dockerVersion: '27.0.3', nodeVersion: 'v22.22.0' });
    expect(fingerprint).toMatchObject({ cpuModel: 'Some CPU', logicalCores: 8, aesNi: true, avx2: false, os: 'Ubuntu 24.04 LTS', cgroupVersion: 2 });
    expect(fingerprint.cpuIdleDriver).toBeUndefined();
  });

  it('records the cpuidle driver ("none" on a VM whose idle is the bare halt)', async () => {
    const fingerprint = await readHostFingerprint({ fs: memoryHostFs({ ...fixture, '/sys/devices/system/cpu/cpuidle/current_driver': 'none\n' }), dockerVersion: 'x' });
    expect(fingerprint.cpuIdleDriver).toBe('none');
  });

  it('says unknown for missing kernel and os files', async () => {
    const fingerprint = await readHostFingerprint({ fs: memoryHostFs({ '/proc/cpuinfo': CPUINFO_NO_AVX2 }), dockerVersion: 'x' });
    expect(fingerprint).toMatchObject({ kernel: 'unknown', os: 'unknown', nodeVersion: process.version });
  });

  it('throws when no core count can be found', async () => {
    await expect(readHostFingerprint({ fs: memoryHostFs({}), dockerVersion: 'x' })).rejects.toThrow(
      'cannot count logical CPUs: neither /proc/cpuinfo nor /sys/devices/system/cpu/online lists any',
    );
  });

  describe('from a fixture tree on disk (proc root injected)', () => {
    let root: string | undefined;
    afterEach(async () => {
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('reads files under the given root', async () => {
      root = await mkdtemp(join(tmpdir(), 'sb-host-'));
      for (const [hostPath, text] of Object.entries({ ...fixture, '/sys/fs/cgroup/cgroup.controllers': 'cpu\n' })) {
        await mkdir(dirname(join(root, hostPath)), { recursive: true });
        await writeFile(join(root, hostPath), text);
      }
      const fingerprint = await readHostFingerprint({ fs: nodeHostFs(root), dockerVersion: '20.10.24+dfsg1', nodeVersion: 'v20.20.2' });
      expect(fingerprint).toMatchObject({ cpuModel: 'AMD EPYC 7B13', logicalCores: 2, kernel: '6.1.0-18-amd64', cgroupVersion: 2 });
      expect(await onlineCpus({ fs: nodeHostFs(root) })).toEqual([0, 1]);
    });
  });
});

describe('readHostFingerprint on this machine (live)', () => {
  it.runIf(process.platform === 'linux')('finds at least one core and a kernel release', async () => {
    const fingerprint = await readHostFingerprint({ dockerVersion: 'not asked' });
    expect(fingerprint.logicalCores).toBeGreaterThanOrEqual(1);
    expect(fingerprint.kernel).not.toBe('');
    expect(fingerprint.kernel).not.toBe('unknown');
    expect(hostFingerprintSchema.safeParse(fingerprint).success).toBe(true);
  });
});
