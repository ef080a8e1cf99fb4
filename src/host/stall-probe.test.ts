import { describe, expect, it } from 'vitest';
import { describeStalls, stallWarning, summarizeStalls } from './stall-probe.js';

describe('summarizeStalls', () => {
  it('sums gaps of 0.5 ms or more over the watched time and counts those of 1 ms or more per second', () => {
    // 2 s watched: 600 + 1000 + 2500 µs stalled = 4.1 ms = 0.205 %; two of them ≥ 1 ms → 1/s.
    expect(summarizeStalls(1, [600, 1000, 2500, 499], 2000)).toEqual({ cpu: 1, stalledShare: 0.00205, longStallsPerSecond: 1, maxStallUs: 2500 });
  });

  it('is all zero for a quiet CPU, or one not watched at all', () => {
    expect(summarizeStalls(0, [], 2000)).toEqual({ cpu: 0, stalledShare: 0, longStallsPerSecond: 0, maxStallUs: 0 });
    expect(summarizeStalls(0, [900], 0)).toEqual({ cpu: 0, stalledShare: 0, longStallsPerSecond: 0, maxStallUs: 900 });
  });
});

describe('describeStalls', () => {
  it('gives one clause per CPU', () => {
    const perCpu = [summarizeStalls(0, [600, 1000, 2500], 2000), summarizeStalls(1, [], 2000)];
    expect(describeStalls({ probeMs: 2000, thresholdUs: 500, perCpu })).toBe(
      'cpu0 0.21 % stalled (1.0/s ≥ 1 ms, longest 2.5 ms), cpu1 0.00 % stalled (0.0/s ≥ 1 ms, longest 0.0 ms)',
    );
  });
});

describe('stallWarning', () => {
  const machine = (...shares: number[]) => ({ probeMs: 2000, thresholdUs: 500, perCpu: shares.map((stalledShare, cpu) => ({ cpu, stalledShare, longStallsPerSecond: 0, maxStallUs: 0 })) });

  it('says nothing on a quiet machine, that P99 carries the stalls on a stalling one, and that something else runs on a busy one', () => {
    expect(stallWarning(machine(0.0002, 0.0009))).toBeUndefined();
    expect(stallWarning(machine(0.0002, 0.006))).toBe('this machine stalls (a CPU lost 0.60 % of its time, ≥ 0.1 %): P99 and above include its stalls; compare them only within this run');
    expect(stallWarning(machine(0.317, 0.01))).toMatch(/^a CPU lost 31\.7 % of its time to stalls before any pod started: something else is probably running here/);
  });
});
