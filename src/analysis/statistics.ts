/**
 * Statistics over trials, as pure functions.
 *
 * Each trial yields one figure (a percentile, or a paired difference between two topologies in the
 * same round). Figures from trials are summarised by their median and a confidence interval for
 * the median built from order statistics: [x(k), x(n−k+1)] covers the true median with probability
 * 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½). It assumes only that trials are independent and alike — no
 * normality, no resampling noise — and its coverage is exact. With fewer than 6 trials no interval
 * reaches 95 % (5 trials: [min, max] covers 93.75 %); the achieved coverage is reported instead of
 * pretending.
 */

export const DEFAULT_CONFIDENCE = 0.95;

export interface MedianEstimate {
  n: number;
  median: number;
  /** Bounds of the confidence interval (equal to the median when n = 1). */
  low: number;
  high: number;
  /** The interval's exact coverage: ≥ the confidence asked for, or the best n trials allow. */
  coverage: number;
}

/** P(B ≤ k) for B ~ Binomial(n, ½). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  let term = 1; // C(n, 0)
  let sum = 1;
  for (let i = 1; i <= Math.min(k, n); i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return Math.min(1, sum / 2 ** n);
}

export function median(sortedValues: readonly number[]): number {
  const n = sortedValues.length;
  if (n === 0) return Number.NaN;
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? (sortedValues[middle] as number) : ((sortedValues[middle - 1] as number) + (sortedValues[middle] as number)) / 2;
}

/** Median of per-trial figures with its order-statistics confidence interval. */
export function estimateMedian(values: readonly number[], confidence = DEFAULT_CONFIDENCE): MedianEstimate {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 };
  const center = median(sorted);
  if (n === 1) return { n, median: center, low: center, high: center, coverage: 0 };
  // The narrowest interval that still covers `confidence`; k = 1 ([min, max]) if none does.
  let k = 1;
  while (k + 1 <= n - k && 1 - 2 * binomialHalfCdf(n, k) >= confidence) k++;
  return { n, median: center, low: sorted[k - 1] as number, high: sorted[n - k] as number, coverage: 1 - 2 * binomialHalfCdf(n, k - 1) };
}

/** Trials needed before an order-statistics interval can reach the confidence asked for. */
export function trialsForConfidence(confidence = DEFAULT_CONFIDENCE): number {
  let n = 1;
  while (1 - 2 * binomialHalfCdf(n, 0) < confidence) n++;
  return n;
}

export type Significance = 'significant' | 'not significant' | 'too few trials';

/** Whether an estimated difference is distinguishable from zero at the given confidence. */
export function differenceSignificance(estimate: MedianEstimate, confidence = DEFAULT_CONFIDENCE): Significance {
  if (estimate.coverage < confidence) return 'too few trials';
  return estimate.low > 0 || estimate.high < 0 ? 'significant' : 'not significant';
}

/** Per-round differences a[r] − b[r] for the rounds both have. */
export function pairedDifferences(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): number[] {
  const differences: number[] = [];
  for (const [round, value] of a) {
    const other = b.get(round);
    if (other !== undefined) differences.push(value - other);
  }
  return differences;
}
