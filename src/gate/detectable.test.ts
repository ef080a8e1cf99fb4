import { describe, expect, it } from 'vitest';
import { describeRegressionResolution, describeThresholdBlindSpot, describeThresholdResolution, regressionResolution, thresholdResolution } from './detectable.js';

describe('regressionResolution (from the change interval’s half-widths)', () => {
  it('adds the optimistic half-width to the tolerance when higher is worse', () => {
    // change +10 µs [−20, +50], tolerance 53 µs: fails from 53 + 30, passes up to 53 − 40.
    expect(regressionResolution({ median: 10, low: -20, high: 50 }, 53, 'higher')).toEqual({ failsBeyond: 83, passesWithin: 13 });
  });

  it('measures a drop when lower is worse (throughput)', () => {
    // change −10 req/s [−50, +20]: worsening 10 [−20, 50]; optimistic half-width 30, pessimistic 40.
    expect(regressionResolution({ median: -10, low: -50, high: 20 }, 1000, 'lower')).toEqual({ failsBeyond: 1030, passesWithin: 960 });
  });

  it('is infinite when the interval is unbounded', () => {
    expect(regressionResolution({ median: 5, low: -Infinity, high: Infinity }, 50, 'higher')).toEqual({ failsBeyond: Infinity, passesWithin: -Infinity });
  });
});

describe('thresholdResolution (the medians a threshold check could tell apart from its limit)', () => {
  it('for a max: fails a median ≥ limit + (median − low), passes one ≤ limit − (high − median)', () => {
    expect(thresholdResolution({ median: 1750, low: 1500, high: 1950 }, 2000, 'max')).toEqual({ failsBeyond: 2250, passesWithin: 1800 });
  });

  it('for a min: fails a median ≤ limit − (high − median), passes one ≥ limit + (median − low)', () => {
    expect(thresholdResolution({ median: 11_300, low: 10_500, high: 12_000 }, 10_000, 'min')).toEqual({ failsBeyond: 9_300, passesWithin: 10_800 });
  });
});

describe('describing a resolution', () => {
  it('says the smallest regression in the metric’s unit, signed the way it worsens', () => {
    expect(describeRegressionResolution('latency', { failsBeyond: 1234, passesWithin: 0 })).toBe('≥ +1.234 ms');
    expect(describeRegressionResolution('rps', { failsBeyond: 1030, passesWithin: 960 })).toBe('≤ -1030');
    expect(describeRegressionResolution('latency', { failsBeyond: Infinity, passesWithin: -Infinity })).toBe('none (its interval is unbounded)');
  });

  it('says where a threshold check fails and passes', () => {
    expect(describeThresholdResolution('overhead', { failsBeyond: 2250, passesWithin: 1800 }, 'max')).toBe('fails ≥ 2.250 ms, passes ≤ 1.800 ms');
    expect(describeThresholdResolution('rps', { failsBeyond: 9300, passesWithin: 10_800 }, 'min')).toBe('fails ≤ 9300, passes ≥ 10800');
    expect(describeThresholdBlindSpot('overhead', { failsBeyond: 2250, passesWithin: 1800 })).toBe('outside (1.800 ms, 2.250 ms)');
    expect(describeThresholdBlindSpot('rps', { failsBeyond: 9300, passesWithin: 10_800 })).toBe('outside (9300, 10800)');
  });
});
