import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, differenceSignificance, estimateMedian, median, pairedDifferences, trialsForConfidence } from './statistics.js';

describe('binomialHalfCdf', () => {
  it('matches exact binomial sums', () => {
    expect(binomialHalfCdf(5, 0)).toBe(1 / 32);
    expect(binomialHalfCdf(6, 1)).toBe(7 / 64);
    expect(binomialHalfCdf(10, 1)).toBe(11 / 1024);
    expect(binomialHalfCdf(4, 4)).toBe(1);
    expect(binomialHalfCdf(4, -1)).toBe(0);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([1, 2, 9])).toBe(2);
    expect(median([1, 2, 4, 9])).toBe(3);
    expect(median([])).toBeNaN();
  });
});

describe('estimateMedian (order-statistics interval)', () => {
  it('uses [min, max] for 6 trials, covering 1 − 2/64 = 96.875 %', () => {
    const estimate = estimateMedian([40, 10, 60, 20, 50, 30]);
    expect(estimate).toEqual({ n: 6, median: 35, low: 10, high: 60, coverage: 1 - 2 / 64 });
  });

  it('narrows to [x(2), x(9)] for 10 trials, covering 1 − 22/1024', () => {
    const estimate = estimateMedian([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(estimate).toEqual({ n: 10, median: 5.5, low: 2, high: 9, coverage: 1 - 22 / 1024 });
  });

  it('reports the coverage actually achieved when too few trials exist for 95 %', () => {
    expect(estimateMedian([3, 1, 2, 5, 4])).toEqual({ n: 5, median: 3, low: 1, high: 5, coverage: 0.9375 });
    expect(estimateMedian([7, 3])).toEqual({ n: 2, median: 5, low: 3, high: 7, coverage: 0.5 });
  });

  it('gives no interval for one trial', () => {
    expect(estimateMedian([4])).toEqual({ n: 1, median: 4, low: 4, high: 4, coverage: 0 });
  });

  it('honours a lower confidence with a narrower interval', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(estimateMedian(values, 0.8)).toMatchObject({ low: 3, high: 8, coverage: 1 - 2 * (56 / 1024) });
  });
});

describe('trialsForConfidence', () => {
  it('needs 6 trials for 95 % and 8 for 99 %', () => {
    expect(trialsForConfidence(0.95)).toBe(6);
    expect(trialsForConfidence(0.99)).toBe(8);
  });
});

describe('differenceSignificance', () => {
  it('calls a difference significant only when its interval excludes zero at the confidence asked', () => {
    expect(differenceSignificance(estimateMedian([1, 2, 3, 4, 5, 6]))).toBe('significant');
    expect(differenceSignificance(estimateMedian([-1, 2, 3, 4, 5, 6]))).toBe('not significant');
    expect(differenceSignificance(estimateMedian([-6, -5, -4, -3, -2, -1]))).toBe('significant');
    expect(differenceSignificance(estimateMedian([1, 2, 3, 4, 5]))).toBe('too few trials');
  });
});

describe('pairedDifferences', () => {
  it('pairs by round and skips rounds one side lacks', () => {
    const a = new Map([[0, 10], [1, 12], [2, 15]]);
    const b = new Map([[0, 7], [2, 5], [3, 1]]);
    expect(pairedDifferences(a, b)).toEqual([3, 10]);
  });
});
