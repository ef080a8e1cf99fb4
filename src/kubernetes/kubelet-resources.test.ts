import { describe, expect, it } from 'vitest';
import { dockerResources, kubeletLinuxResources, milliCpuToQuotaUs, milliCpuToShares, qosClass } from './kubelet-resources.js';
import { sameSysctlValue, sysctlPath, sysctlProblem } from './sysctls.js';

describe('milliCpuToShares (helpers_linux.go MilliCPUToShares)', () => {
  it.each([
    [0, 2],
    [1, 2],
    [2, 2],
    [3, 3],
    [100, 102],
    [200, 204],
    [500, 512],
    [1000, 1024],
    [1500, 1536],
    [256_000, 262_144],
    [300_000, 262_144],
  ])('%i m → %i shares', (milli, shares) => {
    expect(milliCpuToShares(milli)).toBe(shares);
  });
});

describe('milliCpuToQuotaUs (helpers_linux.go MilliCPUToQuota, 100 ms period)', () => {
  it.each([
    [0, 0],
    [1, 1000],
    [10, 1000],
    [100, 10_000],
    [250, 25_000],
    [1000, 100_000],
    [2500, 250_000],
  ])('%i m → %i µs per 100 ms', (milli, quota) => {
    expect(milliCpuToQuotaUs(milli)).toBe(quota);
  });
});

describe('kubeletLinuxResources (calculateLinuxResources)', () => {
  it('maps the seed’s Step 1 block: shares from the request, quota from the limit, memory limit', () => {
    const linux = kubeletLinuxResources({ requests: { cpuMilli: 200, memoryBytes: 128 * 1024 ** 2 }, limits: { cpuMilli: 1000, memoryBytes: 512 * 1024 ** 2 } });
    expect(linux).toStrictEqual({ cpuShares: 204, cpuPeriodUs: 100_000, cpuQuotaUs: 100_000, memoryLimitBytes: 512 * 1024 ** 2 });
    expect(dockerResources(linux)).toStrictEqual({ CpuShares: 204, CpuPeriod: 100_000, CpuQuota: 100_000, Memory: 536_870_912, MemorySwap: 536_870_912 });
  });

  it('takes shares from the limit when only a limit is given (the request defaults to it)', () => {
    expect(kubeletLinuxResources({ requests: {}, limits: { cpuMilli: 100 } })).toStrictEqual({ cpuShares: 102, cpuPeriodUs: 100_000, cpuQuotaUs: 10_000 });
  });

  it('gives the minimum 2 shares and no quota to a container with no CPU request or limit', () => {
    const linux = kubeletLinuxResources({ requests: { memoryBytes: 64 * 1024 ** 2 }, limits: { memoryBytes: 64 * 1024 ** 2 } });
    expect(linux).toStrictEqual({ cpuShares: 2, cpuPeriodUs: 100_000, memoryLimitBytes: 64 * 1024 ** 2 });
    expect(dockerResources(linux)).toStrictEqual({ CpuShares: 2, CpuPeriod: 100_000, Memory: 67_108_864, MemorySwap: 67_108_864 });
  });

  it('sets no CPU quota for a request alone (requests are weights, not caps)', () => {
    expect(kubeletLinuxResources({ requests: { cpuMilli: 500 }, limits: {} })).toStrictEqual({ cpuShares: 512, cpuPeriodUs: 100_000 });
  });
});

describe('qosClass (GetPodQOS)', () => {
  const guaranteed = { requests: {}, limits: { cpuMilli: 500, memoryBytes: 1 << 26 } };
  it('tells Guaranteed, Burstable and BestEffort apart', () => {
    expect(qosClass([guaranteed, guaranteed])).toBe('Guaranteed');
    expect(qosClass([guaranteed, { requests: {}, limits: {} }])).toBe('Burstable');
    expect(qosClass([{ requests: { cpuMilli: 200 }, limits: { cpuMilli: 1000, memoryBytes: 1 << 26 } }])).toBe('Burstable');
    expect(qosClass([{ requests: {}, limits: {} }])).toBe('BestEffort');
  });
});

describe('sysctls', () => {
  it('accepts per-namespace net.* keys', () => {
    for (const name of ['net.core.somaxconn', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.conf.all.rp_filter']) {
      expect(sysctlProblem(name)).toBeUndefined();
    }
  });

  it('maps names to /proc/sys paths and compares values as the kernel prints them', () => {
    expect(sysctlPath('net.ipv4.ip_local_port_range')).toBe('/proc/sys/net/ipv4/ip_local_port_range');
    expect(sameSysctlValue('1024 65535', '1024\t65535\n')).toBe(true);
    expect(sameSysctlValue('1024', '4096\n')).toBe(false);
  });
});
