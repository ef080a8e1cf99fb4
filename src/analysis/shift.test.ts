import { describe, expect, it } from 'vitest';
import { estimateShift, mannWhitneyNullCdf } from './shift.js';

describe('mannWhitneyNullCdf', () => {
  it('matches the exact distribution for 2 and 2 (orderings: 6)', () => {
    // U = 0, 1, 2, 2, 3, 4 over the 6 orderings.
    expect(mannWhitneyNullCdf(2, 2)).toStrictEqual([1 / 6, 2 / 6, 4 / 6, 5 / 6, 1]);
  });

  it('gives the tabulated critical probability for 6 and 6: P(U ≤ 5) = 19/924', () => {
    const cdf = mannWhitneyNullCdf(6, 6);
    expect(cdf).toHaveLength(37);
    expect(cdf[5]).toBeCloseTo(19 / 924, 12);
    // Checked by enumerating all 924 orderings: 1, 1, 2, 3, 5, 7, 11 orderings have U = 0 … 6.
    expect(cdf[6]).toBeCloseTo(30 / 924, 12);
    expect(cdf[36]).toBe(1);
  });
});

describe('estimateShift (Hodges–Lehmann with Moses interval)', () => {
  it('estimates a clean shift of 100 exactly, with the 95.9 % interval [D(6), D(31)] for 6 and 6', () => {
    const baseline = [10, 20, 30, 40, 50, 60];
    const candidate = baseline.map((value) => value + 100);
    const estimate = estimateShift(candidate, baseline);
    expect(estimate.median).toBe(100);
    expect(estimate.n).toBe(6);
    expect(estimate.coverage).toBeCloseTo(1 - 38 / 924, 12);
    // Sorted pairwise differences run 50 … 150 in steps of 10 (with multiplicities); D(6) = 70, D(31) = 130.
    expect([estimate.low, estimate.high]).toStrictEqual([70, 130]);
  });

  it('is symmetric: swapping the samples negates the shift and its interval', () => {
    const a = [3, 9, 4, 7, 5, 8];
    const b = [1, 2, 6, 3, 2, 4];
    const forward = estimateShift(a, b);
    const backward = estimateShift(b, a);
    expect(backward.median).toBe(-forward.median);
    expect([backward.low, backward.high]).toStrictEqual([0 - forward.high, 0 - forward.low].map((value) => value + 0));
  });

  it('falls back to the widest interval, with its coverage, when the samples are too small for 95 %', () => {
    const estimate = estimateShift([5, 6], [1, 2]);
    expect([estimate.low, estimate.high, estimate.median]).toStrictEqual([3, 5, 4]);
    expect(estimate.coverage).toBeCloseTo(1 - 2 / 6, 12);
  });
});
