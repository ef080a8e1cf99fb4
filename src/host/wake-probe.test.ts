import { describe, expect, it } from 'vitest';
import { hostWakeUpSchema } from '../results/schema.js';
import { describeWakeUp, probeWakeUp, quantileOf, summarizeWakeUp, wakeUpPenaltyUs } from './wake-probe.js';

describe('quantileOf', () => {
  it('takes the nearest rank of ascending values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileOf(values, 0.5)).toBe(5);
    expect(quantileOf(values, 0.9)).toBe(9);
    expect(quantileOf(values, 1)).toBe(10);
    expect(quantileOf([7], 0.9)).toBe(7);
    expect(quantileOf([], 0.5)).toBeNaN();
  });
});

describe('summarizeWakeUp', () => {
  const busy = Array.from({ length: 100 }, (_, i) => 10 + i / 10); // 10.0 … 19.9 µs
  const idle = Array.from({ length: 100 }, (_, i) => 40 + i); // 40 … 139 µs

  it('gives p50 and p90 of both modes and the idle penalty', () => {
    const wake = summarizeWakeUp([0, 1], 1, busy, idle);
    expect(wake).toEqual({ cpus: [0, 1], pauseMs: 1, roundTrips: 100, busyRoundTripUs: { p50: 14.9, p90: 18.9 }, idleRoundTripUs: { p50: 89, p90: 129 } });
    expect(hostWakeUpSchema.parse(wake)).toEqual(wake);
    expect(wakeUpPenaltyUs(wake)).toBeCloseTo(74.1, 6);
    expect(describeWakeUp(wake)).toBe('cpu0↔cpu1 round trip 15 µs back to back, 89 µs after 1 ms idle (p50; p90 19 µs → 129 µs)');
  });

  it('never reports a negative penalty', () => {
    expect(wakeUpPenaltyUs(summarizeWakeUp([0, 0], 1, idle, busy))).toBe(0);
  });
});

describe('probeWakeUp (real processes on this machine)', () => {
  it('bounces datagrams between two pinned processes in both modes', async () => {
    const wake = await probeWakeUp([0, 0], 1, 50);
    expect(wake.roundTrips).toBe(50);
    expect(wake.pauseMs).toBe(1);
    // Only sanity: real round trips are positive and ordered; their size is the machine's.
    expect(wake.busyRoundTripUs.p50).toBeGreaterThan(0);
    expect(wake.busyRoundTripUs.p90).toBeGreaterThanOrEqual(wake.busyRoundTripUs.p50);
    expect(wake.idleRoundTripUs.p90).toBeGreaterThanOrEqual(wake.idleRoundTripUs.p50);
  }, 20_000);
});
