import { cp, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResourceSampler, type ResourceSamplerOptions } from './sampler.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A clock that advances 250 ms per call, starting at 1_000_000 ms. */
function steppingClock(): () => number {
  let epochMs = 1_000_000 - 250;
  return () => (epochMs += 250);
}

function options(hostRoot: string, overrides: Partial<ResourceSamplerOptions> = {}): ResourceSamplerOptions {
  return {
    containers: [{ name: 'app', hostPid: 4242 }],
    // Long enough that no tick fires during a test unless timers are faked.
    intervalMs: 60_000,
    clockTicksPerSecond: 100,
    procRoot: join(hostRoot, 'proc'),
    hostRoot,
    now: steppingClock(),
    ...overrides,
  };
}

const APP_SAMPLE = {
  processes: [
    {
      pid: 4242,
      comm: 'sh) -c (x y)',
      cpuUs: 2_000_000,
      voluntaryCtxSwitches: 37,
      involuntaryCtxSwitches: 6,
      rssBytes: 2_097_152,
      threads: 2,
    },
  ],
  cgroup: { cpuUsageUs: 2_500_000, cfsPeriods: 50, throttledPeriods: 3, throttledUs: 4_500, memoryUsageBytes: 10_485_760, oomKills: 2 },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('ResourceSampler', () => {
  it('samples at start and at stop, stamped by the injected clock, without the vanished processes', async () => {
    const sampler = new ResourceSampler(options(join(FIXTURES, 'v1')));
    await sampler.start();
    expect(await sampler.stop()).toEqual([
      { epochMs: 1_000_000, containers: { app: APP_SAMPLE } },
      { epochMs: 1_000_250, containers: { app: APP_SAMPLE } },
    ]);
    expect(sampler.skippedTicks).toBe(0);
    expect(sampler.failures).toEqual([]);
  });

  it('samples each watched pod’s netns (TCP states) beside its containers, and notes a pod that is gone', async () => {
    const sampler = new ResourceSampler(options(join(FIXTURES, 'v1'), { pods: [{ name: 'server', hostPid: 4242 }, { name: 'gone', hostPid: 4299 }] }));
    await sampler.start();
    const samples = await sampler.stop();
    expect(samples[0]).toEqual({ epochMs: 1_000_000, containers: { app: APP_SAMPLE }, pods: { server: { tcp: { LISTEN: 1, ESTABLISHED: 1, TIME_WAIT: 3, SYN_SENT: 1 } } } });
    expect(samples).toHaveLength(2);
  });

  it('skips ticks while a read is in flight instead of piling them up', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const sampler = new ResourceSampler(options(join(FIXTURES, 'v1'), { intervalMs: 250 }));
    await sampler.start();
    // Synchronous: the first tick's file reads cannot complete before the next two ticks.
    vi.advanceTimersByTime(250);
    vi.advanceTimersByTime(250);
    vi.advanceTimersByTime(250);
    const samples = await sampler.stop();
    expect(samples.map((s) => s.epochMs)).toEqual([1_000_000, 1_000_250, 1_000_500]);
    expect(sampler.skippedTicks).toBe(2);
  });

  it('throws SB_CONTAINER_FAILED when a container process is gone at start', async () => {
    const sampler = new ResourceSampler(options(join(FIXTURES, 'v1'), { containers: [{ name: 'dead', hostPid: 4245 }] }));
    await expect(sampler.start()).rejects.toMatchObject({ code: 'SB_CONTAINER_FAILED' });
    await expect(sampler.stop()).rejects.toThrow(/stopped/);
  });

  it('rejects a zero interval', () => {
    expect(() => new ResourceSampler(options(join(FIXTURES, 'v1'), { intervalMs: 0 }))).toThrow(RangeError);
  });
});

describe('ResourceSampler on a changing tree', () => {
  let tree: string | undefined;

  afterEach(async () => {
    if (tree !== undefined) await rm(tree, { recursive: true, force: true });
    tree = undefined;
  });

  it('re-lists cgroup.procs on every sample and records unreadable processes as failures', async () => {
    tree = await mkdtemp(join(tmpdir(), 'sampling-'));
    await cp(join(FIXTURES, 'v2'), tree, { recursive: true });
    const cgroupDir = join(tree, 'sys/fs/cgroup/system.slice/docker-abc.scope');
    const sampler = new ResourceSampler(options(tree, { containers: [{ name: 'proxy', hostPid: 5001 }] }));
    await sampler.start();

    // Like `docker exec`: a new process joins; 5002 exits; then 5001's stat turns unparseable.
    await cp(join(tree, 'proc/5002'), join(tree, 'proc/5003'), { recursive: true });
    await rename(join(tree, 'proc/5003/task/5002'), join(tree, 'proc/5003/task/5003'));
    await rm(join(tree, 'proc/5002'), { recursive: true });
    await writeFile(join(cgroupDir, 'cgroup.procs'), '5003\n5001\n');
    await writeFile(join(tree, 'proc/5001/stat'), 'garbage\n');

    const [first, last] = await sampler.stop();
    expect(first?.containers.proxy?.processes.map((p) => p.pid)).toEqual([5001, 5002]);
    expect(last?.containers.proxy?.processes.map((p) => [p.pid, p.comm])).toEqual([[5003, 'sleep']]);
    expect(last?.containers.proxy?.cgroup.cpuUsageUs).toBe(13_500_000);
    expect(sampler.failureCount).toBe(1);
    expect(sampler.failures[0]).toMatchObject({ epochMs: 1_000_250, container: 'proxy' });
    expect(sampler.failures[0]?.message).toMatch(/^PID 5001: unparseable .*stat/);
  });
});

describe('ResourceSampler on the live /proc', () => {
  it('samples the test process on the real clock and closes every file it opened', async () => {
    const openFds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    const fdsBefore = await openFds();
    const sampler = new ResourceSampler({ containers: [{ name: 'self', hostPid: process.pid }], intervalMs: 20, clockTicksPerSecond: 100 });
    await sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const samples = await sampler.stop();
    // Invariants only: how many ticks fit in 150 ms depends on the machine's load.
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const selfCpuUs = samples.map((s) => s.containers.self?.processes.find((p) => p.pid === process.pid)?.cpuUs ?? -1);
    expect(selfCpuUs.every((cpuUs, i) => cpuUs >= 0 && cpuUs >= (selfCpuUs[i - 1] ?? 0))).toBe(true);
    expect(samples.every((s, i) => i === 0 || s.epochMs >= (samples[i - 1] as { epochMs: number }).epochMs)).toBe(true);
    expect(sampler.failures).toEqual([]);
    expect(await openFds()).toBe(fdsBefore);
  });
});
