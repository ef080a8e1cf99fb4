import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CLOCK_TICKS_PER_SECOND,
  parseCtxSwitches,
  parseProcStat,
  parseVmRssBytes,
  readClockTicksPerSecond,
  readProcessSample,
  ticksToUs,
} from './proc-reader.js';

const V1_PROC = fileURLToPath(new URL('./fixtures/v1/proc', import.meta.url));
const V2_PROC = fileURLToPath(new URL('./fixtures/v2/proc', import.meta.url));

describe('parseProcStat', () => {
  it('takes comm up to the last ")" so spaces and parentheses inside it do not shift fields', () => {
    const line = '4242 (sh) -c (x y)) S 1 4242 4242 0 -1 4194560 1200 0 3 0 150 50 7 3 20 0 2 0 46012 31334400 512\n';
    expect(parseProcStat(line)).toEqual({ comm: 'sh) -c (x y)', utimeTicks: 150, stimeTicks: 50, threads: 2 });
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (cut short) S 1 2')).toBeUndefined();
  });
});

describe('status parsing', () => {
  it('reads VmRSS in bytes, undefined without one (kernel thread, zombie)', () => {
    expect(parseVmRssBytes('Name:\tx\nVmRSS:\t    2048 kB\n')).toBe(2_097_152);
    expect(parseVmRssBytes('Name:\tkthreadd\n')).toBeUndefined();
  });

  it('reads both context switch counters', () => {
    const text = 'voluntary_ctxt_switches:\t30\nnonvoluntary_ctxt_switches:\t5\n';
    expect(parseCtxSwitches(text)).toEqual({ voluntary: 30, involuntary: 5 });
  });
});

describe('ticksToUs', () => {
  it('converts with the given USER_HZ', () => {
    expect(ticksToUs(200, 100)).toBe(2_000_000);
    expect(ticksToUs(3, 1000)).toBe(3_000);
  });
});

describe('readProcessSample on fixtures', () => {
  it('sums context switches over both threads and excludes waited-for children from cpuUs', async () => {
    expect(await readProcessSample(4242, { procRoot: V1_PROC, clockTicksPerSecond: 100 })).toEqual({
      pid: 4242,
      comm: 'sh) -c (x y)',
      cpuUs: 2_000_000,
      voluntaryCtxSwitches: 37,
      involuntaryCtxSwitches: 6,
      rssBytes: 2_097_152,
      threads: 2,
    });
  });

  it('reads a single-threaded process', async () => {
    expect(await readProcessSample(5001, { procRoot: V2_PROC, clockTicksPerSecond: 100 })).toEqual({
      pid: 5001,
      comm: 'haproxy',
      cpuUs: 13_000_000,
      voluntaryCtxSwitches: 100,
      involuntaryCtxSwitches: 20,
      rssBytes: 10_485_760,
      threads: 1,
    });
  });

  it('returns undefined for a process that is gone, before or during the read', async () => {
    expect(await readProcessSample(4245, { procRoot: V1_PROC, clockTicksPerSecond: 100 })).toBeUndefined();
    expect(await readProcessSample(4246, { procRoot: V1_PROC, clockTicksPerSecond: 100 })).toBeUndefined();
  });
});

describe('readClockTicksPerSecond', () => {
  it('parses getconf output', async () => {
    expect(await readClockTicksPerSecond(async () => ({ stdout: '250\n' }))).toBe(250);
  });

  it('falls back to 100 when getconf fails or prints nonsense', async () => {
    expect(await readClockTicksPerSecond(async () => Promise.reject(new Error('ENOENT getconf')))).toBe(100);
    expect(await readClockTicksPerSecond(async () => ({ stdout: 'undefined\n' }))).toBe(DEFAULT_CLOCK_TICKS_PER_SECOND);
  });
});

describe('live /proc', () => {
  it('reads the test process itself', async () => {
    const clockTicksPerSecond = await readClockTicksPerSecond();
    expect(clockTicksPerSecond).toBeGreaterThan(0);
    // Burn a little CPU so utime is at least one tick even in a freshly forked worker.
    const until = process.hrtime.bigint() + 30_000_000n;
    while (process.hrtime.bigint() < until);
    const sample = await readProcessSample(process.pid, { clockTicksPerSecond });
    expect(sample).toBeDefined();
    expect(sample?.pid).toBe(process.pid);
    expect(sample?.cpuUs).toBeGreaterThan(0);
    expect(sample?.threads).toBeGreaterThanOrEqual(1);
    expect(sample?.rssBytes).toBeGreaterThan(0);
    expect(sample?.voluntaryCtxSwitches).toBeGreaterThan(0);
  });
});
