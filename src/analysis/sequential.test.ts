import { describe, expect, it } from 'vitest';
import { designCoverage, lookBudget, sequentialDesign, sequentialLook, sequentialMedian, sequentialShift, sequentialShiftLook, spendingBudget } from './sequential.js';
import { estimateMedian } from './statistics.js';

/** Brute force: over all 2^max sign sequences, P(some look n has fewer than ranks[n] values below the median). */
function bruteForceCrossing(min: number, max: number, ranks: readonly number[]): number {
  let crossed = 0;
  for (let mask = 0; mask < 2 ** max; mask++) {
    let below = 0;
    for (let n = 1; n <= max; n++) {
      below += (mask >> (n - 1)) & 1;
      if (n >= min && below < (ranks[n] as number)) {
        crossed++;
        break;
      }
    }
  }
  return crossed / 2 ** max;
}

describe('sequentialDesign (group-sequential sign test, power-family spending)', () => {
  it('has the ranks of min 6, max 30 at 95 %: [min, max] until 10 rounds, [x(8), x(23)] at 30', () => {
    const design = sequentialDesign(6, 30, 0.95);
    expect(design.ranks.slice(6)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8]);
    // The first look is the fixed-size interval of 6 rounds: 1/64 per side.
    expect(design.spentPerSide[6]).toBe(1 / 64);
    // Look 7 with k = 1 adds nothing: 0 of 7 below needs 0 of 6 below, already counted.
    expect(design.spentPerSide[7]).toBe(1 / 64);
    expect(designCoverage(design)).toBeGreaterThanOrEqual(0.95);
    expect(designCoverage(design)).toBeCloseTo(0.951409, 6);
  });

  it('spends no more than the budget at any look, and its spent error is exact (brute force over 2^16 sequences)', () => {
    const design = sequentialDesign(5, 16, 0.9);
    for (let n = 5; n <= 16; n++) expect(design.spentPerSide[n]).toBeLessThanOrEqual((design.budgetPerSide[n] as number) + 1e-12);
    expect(design.spentPerSide[16]).toBeCloseTo(bruteForceCrossing(5, 16, design.ranks), 12);
    expect(design.spentPerSide[16]).toBeGreaterThan(0.9 * 0.05);
  });

  it('budgets α/2 · (n/max)^¼', () => {
    expect(spendingBudget(30, 30, 0.95)).toBeCloseTo(0.025, 15);
    expect(spendingBudget(6, 30, 0.95)).toBeCloseTo(0.025 * 0.2 ** 0.25, 15);
  });

  it('cannot decide at a first look too small for the budget (min 6 at 99 %)', () => {
    const design = sequentialDesign(6, 30, 0.99);
    expect(design.ranks[6]).toBe(0);
    expect(sequentialMedian([1, 2, 3, 4, 5, 6], design)).toMatchObject({ low: -Infinity, high: Infinity });
  });

  it('refuses impossible round ranges', () => {
    expect(() => sequentialDesign(8, 6, 0.95)).toThrow(RangeError);
    expect(() => sequentialDesign(0, 6, 0.95)).toThrow(RangeError);
  });
});

describe('sequentialMedian', () => {
  const design = sequentialDesign(6, 30, 0.95);

  it('equals the fixed-size interval at the first look', () => {
    const values = [40, 10, 60, 20, 50, 30];
    expect(sequentialMedian(values, design)).toMatchObject({ n: 6, median: 35, low: 10, high: 60 });
    expect(estimateMedian(values)).toMatchObject({ low: 10, high: 60 });
  });

  it('is wider than the fixed-size interval late: [x(8), x(23)] at 30 rounds instead of [x(10), x(21)]', () => {
    const values = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(sequentialLook(values, design)).toMatchObject({ n: 30, median: 15.5, low: 8, high: 23 });
    expect(estimateMedian(values)).toMatchObject({ low: 10, high: 21 });
  });

  it('decides nothing outside [min, max]', () => {
    expect(sequentialMedian([1, 2, 3, 4, 5], design)).toMatchObject({ median: 3, low: -Infinity, high: Infinity });
    expect(sequentialLook(Array.from({ length: 31 }, (_, i) => i), design)).toMatchObject({ low: -Infinity, high: Infinity });
  });
});

describe('sequentialShift (two separate runs: Bonferroni slices of the same budget)', () => {
  const design = sequentialDesign(6, 30, 0.95);

  it('gives each look the increment of the spending function', () => {
    expect(lookBudget(6, design)).toBeCloseTo(spendingBudget(6, 30, 0.95), 15);
    expect(lookBudget(7, design)).toBeCloseTo(spendingBudget(7, 30, 0.95) - spendingBudget(6, 30, 0.95), 15);
    expect(lookBudget(31, design)).toBe(0);
    let total = 0;
    for (let n = 6; n <= 30; n++) total += lookBudget(n, design);
    expect(total).toBeCloseTo(0.025, 12);
  });

  it('uses the exact Mann–Whitney interval at the look’s confidence', () => {
    const baseline = [500, 510, 520, 530, 540, 550];
    const candidate = baseline.map((value) => value + 1000);
    const estimate = sequentialShift(candidate, baseline, design);
    expect(estimate.median).toBe(1000);
    // 6 × 6 at 1 − 2 · 0.0167: P(U ≤ 4) = 12/924 ≤ 0.0167 < P(U ≤ 5) = 19/924, so [D(5), D(32)]
    // of the 36 differences 1000 + 10·d, d = −5…5 with multiplicity 6 − |d|.
    expect(estimate).toMatchObject({ low: 970, high: 1030 });
  });

  it('gives up at a look whose slice is too small for any interval', () => {
    const candidate = [1500, 1510, 1520, 1530, 1540, 1550, 1560];
    // Look 7 gets 0.000657 per side; [min, max] of 7 × 6 differences misses P(U = 0) = 1/1716 per side: an interval.
    expect(Number.isFinite(sequentialShiftLook(candidate, [500, 510, 520, 530, 540, 550], design).low)).toBe(true);
    // Against 2 baseline rounds even [min, max] misses 1/36 per side: nothing can be decided.
    expect(sequentialShiftLook(candidate, [500, 510], design)).toMatchObject({ low: -Infinity, high: Infinity });
  });
});
