import { describe, expect, it } from 'vitest';
import { arrivalOffsetsNs } from './arrival-schedule.js';

describe('arrival schedules', () => {
  it('spaces uniform arrivals exactly', () => {
    expect([...arrivalOffsetsNs(4_000_000, 1000, 'uniform')]).toStrictEqual([0, 1_000_000, 2_000_000, 3_000_000]);
  });

  it('keeps every arrival inside the duration, Poisson ones included', () => {
    const offsets = arrivalOffsetsNs(2e9, 1000, 'poisson', 3);
    expect(offsets.every((at) => at >= 0 && at < 2e9)).toBe(true);
    // A Poisson count with mean 2000: its standard deviation is ~45, so ±300 is > 6 of them.
    expect(Math.abs(offsets.length - 2000)).toBeLessThan(300);
  });

  it('gives Poisson arrivals exponential gaps with the asked mean, repeatably for a seed', () => {
    const offsets = arrivalOffsetsNs(100e9, 1000, 'poisson', 7);
    expect([...arrivalOffsetsNs(5e6, 1000, 'poisson', 7)]).toStrictEqual([...offsets.filter((at) => at < 5e6)]);
    expect([...arrivalOffsetsNs(5e6, 1000, 'poisson', 8)]).not.toStrictEqual([...offsets.filter((at) => at < 5e6)]);
    const gaps = [...offsets].slice(1).map((at, i) => at - (offsets[i] as number));
    expect(gaps.every((gap) => gap >= 0)).toBe(true);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    // 99 999 exponential gaps: the mean's standard error is 0.32 % of it; 2 % is > 6 standard errors.
    expect(Math.abs(mean - 1_000_000) / 1_000_000).toBeLessThan(0.02);
    // An exponential's median is ln 2 of its mean.
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number;
    expect(Math.abs(median / 1_000_000 - Math.LN2)).toBeLessThan(0.02);
  });
});
