import { describe, expect, it } from 'vitest';
import type { ProcessSample, ResourceSample } from '../sampling/types.js';
import { containerResourceSeries, containerWindowResources, cpusetSize, type ContainerIdentity } from './window-resources.js';

const PROXY: ContainerIdentity = { container: 'sidecar-server-proxy', pod: 'sidecar-server', side: 'server', role: 'sidecar' };
const WINDOW = { startEpochMs: 10_000, endEpochMs: 12_000 };

function proc(pid: number, comm: string, cpuUs: number, voluntary: number, involuntary: number, rssBytes: number): ProcessSample {
  return { pid, comm, cpuUs, voluntaryCtxSwitches: voluntary, involuntaryCtxSwitches: involuntary, rssBytes, threads: 1 };
}

/**
 * Warm-up sample, three samples inside the 2 s window, one after it. pid 20 starts mid-window.
 *
 *                  t=10.0 s          t=11.0 s           t=12.0 s
 *   pid 10 cpu     1.0 s             1.4 s              1.8 s      (+0.8 s)
 *   pid 10 vol/inv 100/10            400/30             700/50     (+600/+40)
 *   pid 20 cpu     —                 0.1 s              0.2 s      (+0.2 s from 0)
 *   pid 20 vol/inv —                 50/0               100/20     (+100/+20 from 0)
 *   rss            1000              3000+2000          2000+2000
 *   cgroup cpu     2.0 s             —                  4.1 s
 */
const SAMPLES: ResourceSample[] = [
  { epochMs: 9_750, containers: { [PROXY.container]: { processes: [proc(10, 'haproxy', 0, 0, 0, 50_000)], cgroup: { cpuUsageUs: 0 } } } },
  {
    epochMs: 10_000,
    containers: {
      [PROXY.container]: { processes: [proc(10, 'haproxy', 1_000_000, 100, 10, 1000)], cgroup: { cpuUsageUs: 2_000_000, cfsPeriods: 10, throttledPeriods: 3, throttledUs: 1000, oomKills: 0 } },
      other: { processes: [proc(99, 'other', 0, 0, 0, 1)], cgroup: {} },
    },
  },
  {
    epochMs: 11_000,
    containers: {
      [PROXY.container]: { processes: [proc(10, 'haproxy', 1_400_000, 400, 30, 3000), proc(20, 'sh', 100_000, 50, 0, 2000)], cgroup: {} },
    },
  },
  {
    epochMs: 12_000,
    containers: {
      [PROXY.container]: {
        processes: [proc(10, 'haproxy', 1_800_000, 700, 50, 2000), proc(20, 'sh', 200_000, 100, 20, 2000)],
        cgroup: { cpuUsageUs: 4_100_000, cfsPeriods: 30, throttledPeriods: 5, throttledUs: 51_000, oomKills: 0 },
      },
    },
  },
  { epochMs: 12_250, containers: { [PROXY.container]: { processes: [proc(10, 'haproxy', 9_000_000, 9000, 900, 90_000)], cgroup: { cpuUsageUs: 99_000_000 } } } },
];

describe('containerWindowResources', () => {
  it('computes exact figures over the span of the samples inside the window', () => {
    expect(containerWindowResources(SAMPLES, WINDOW, PROXY, 2, 1000)).toStrictEqual({
      ...PROXY,
      spanSeconds: 2,
      cpuSeconds: 1,
      vcpu: 0.5,
      vcpuPer1kRps: 0.5,
      cpuUsPerRequest: 500,
      voluntaryCtxSwitches: 700,
      involuntaryCtxSwitches: 60,
      ctxSwitchesPerSecond: 380,
      ctxSwitchesPerSecondPerCore: 190,
      ctxSwitchesPerRequest: 0.38,
      rssMaxBytes: 5000,
      rssMeanBytes: 10_000 / 3,
      cgroupVcpu: 1.05,
      cfsPeriods: 20,
      throttledPeriods: 2,
      // 2 of 20 periods; 50 ms throttled over the 2 s span.
      throttledPeriodShare: 0.1,
      throttledUs: 50_000,
      throttledMsPerSecond: 25,
      oomKills: 0,
      processNames: ['haproxy', 'sh'],
    });
  });

  it('divides context switches per core by the cpuset size, at least 1', () => {
    expect(containerWindowResources(SAMPLES, WINDOW, PROXY, 4, 1000)?.ctxSwitchesPerSecondPerCore).toBe(95);
    expect(containerWindowResources(SAMPLES, WINDOW, PROXY, 0, 1000)?.ctxSwitchesPerSecondPerCore).toBe(380);
  });

  it('reports per-request figures as 0 without throughput', () => {
    const resources = containerWindowResources(SAMPLES, WINDOW, PROXY, 2, 0);
    expect(resources).toMatchObject({ vcpu: 0.5, vcpuPer1kRps: 0, cpuUsPerRequest: 0, ctxSwitchesPerRequest: 0, ctxSwitchesPerSecond: 380 });
  });

  it('scales per-request figures with rps', () => {
    expect(containerWindowResources(SAMPLES, WINDOW, PROXY, 2, 4000)).toMatchObject({
      vcpuPer1kRps: 0.125,
      cpuUsPerRequest: 125,
      ctxSwitchesPerRequest: 0.095,
    });
  });

  it('ignores samples outside the window', () => {
    const narrower = containerWindowResources(SAMPLES, { startEpochMs: 10_500, endEpochMs: 12_100 }, PROXY, 2, 1000);
    // Only t=11 s and t=12 s: pid 10 +0.4 s, pid 20 +0.1 s over 1 s.
    expect(narrower).toMatchObject({ spanSeconds: 1, cpuSeconds: 0.5, vcpu: 0.5, voluntaryCtxSwitches: 350, involuntaryCtxSwitches: 40, rssMaxBytes: 5000, rssMeanBytes: 4500 });
    // The middle sample has no cgroup counters, so no cgroup figures.
    expect(narrower).not.toHaveProperty('cgroupVcpu');
    expect(narrower).not.toHaveProperty('throttledPeriods');
    expect(narrower).not.toHaveProperty('oomKills');
  });

  it('counts a process that appears mid-window from 0', () => {
    const samples: ResourceSample[] = [
      { epochMs: 0, containers: { c: { processes: [], cgroup: {} } } },
      { epochMs: 500, containers: { c: { processes: [proc(7, 'envoy', 250_000, 4, 1, 100)], cgroup: {} } } },
    ];
    expect(containerWindowResources(samples, { startEpochMs: 0, endEpochMs: 500 }, { ...PROXY, container: 'c' }, 1, 0)).toMatchObject({
      spanSeconds: 0.5,
      cpuSeconds: 0.25,
      vcpu: 0.5,
      voluntaryCtxSwitches: 4,
      involuntaryCtxSwitches: 1,
      ctxSwitchesPerSecond: 10,
      rssMaxBytes: 100,
      rssMeanBytes: 50,
      processNames: ['envoy'],
    });
  });

  it('is undefined with fewer than 2 samples inside the window', () => {
    expect(containerWindowResources(SAMPLES, { startEpochMs: 11_500, endEpochMs: 12_100 }, PROXY, 2, 1000)).toBeUndefined();
    expect(containerWindowResources([], WINDOW, PROXY, 2, 1000)).toBeUndefined();
  });

  it('is undefined for a container no sample saw', () => {
    expect(containerWindowResources(SAMPLES, WINDOW, { ...PROXY, container: 'missing' }, 2, 1000)).toBeUndefined();
    // "other" appears in only one sample.
    expect(containerWindowResources(SAMPLES, WINDOW, { ...PROXY, container: 'other' }, 2, 1000)).toBeUndefined();
  });

  it('is undefined when the samples span no time', () => {
    const sample = SAMPLES[1] as ResourceSample;
    expect(containerWindowResources([sample, sample], WINDOW, PROXY, 2, 1000)).toBeUndefined();
  });
});

describe('containerResourceSeries', () => {
  it('gives one point per pair of consecutive samples inside the window', () => {
    expect(containerResourceSeries(SAMPLES, WINDOW, PROXY, 3)).toStrictEqual([
      { round: 3, container: PROXY.container, role: 'sidecar', side: 'server', tSeconds: 1, vcpu: 0.5, ctxSwitchesPerSecond: 370, rssBytes: 5000 },
      { round: 3, container: PROXY.container, role: 'sidecar', side: 'server', tSeconds: 2, vcpu: 0.5, ctxSwitchesPerSecond: 390, rssBytes: 4000 },
    ]);
  });

  it('is empty with fewer than 2 samples', () => {
    expect(containerResourceSeries(SAMPLES, { startEpochMs: 11_500, endEpochMs: 12_100 }, PROXY, 0)).toStrictEqual([]);
  });
});

describe('cpusetSize', () => {
  it.each([
    ['0', 1],
    ['1', 1],
    ['0-1', 2],
    ['0-3', 4],
    ['2,3', 2],
    ['0-1,3', 3],
    ['0-1,4-7,9', 7],
  ])('%j has %i CPUs', (cpus, count) => {
    expect(cpusetSize(cpus)).toBe(count);
  });
});
