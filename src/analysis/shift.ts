/**
 * The shift between two independent samples of per-trial figures (a candidate run against a
 * baseline run): the Hodges–Lehmann estimate (median of every candidate − baseline difference) with
 * Moses' distribution-free confidence interval from the exact Mann–Whitney null distribution. The
 * unpaired counterpart of the order-statistics interval in statistics.ts; same assumptions (trials
 * independent and alike), exact coverage.
 */
import { DEFAULT_CONFIDENCE, median, type MedianEstimate } from './statistics.js';

/** P(U ≤ u) for u = 0 … m·n, U the Mann–Whitney count under H0, for samples of size m and n. */
export function mannWhitneyNullCdf(m: number, n: number): number[] {
  // counts[i][j][u]: orderings of i + j values with U = u; built row by row (i) over j.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // The largest value is either from the first sample (it beats all j others: U += j) or not.
      const fromFirst = previous[j] as number[];
      const fromSecond = current[j - 1] as number[];
      for (let u = 0; u < size; u++) row[u] = (u - j >= 0 ? (fromFirst[u - j] ?? 0) : 0) + (fromSecond[u] ?? 0);
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n] as number[];
  const total = counts.reduce((sum, count) => sum + count, 0);
  let cumulative = 0;
  return counts.map((count) => (cumulative += count) / total);
}

/** Candidate − baseline shift with its confidence interval (n = the smaller sample size). */
export function estimateShift(candidate: readonly number[], baseline: readonly number[], confidence = DEFAULT_CONFIDENCE): MedianEstimate {
  const m = candidate.length;
  const n = baseline.length;
  if (m === 0 || n === 0) return { n: 0, median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 };
  const differences = candidate.flatMap((c) => baseline.map((b) => c - b)).sort((a, b) => a - b);
  const estimate = median(differences);
  const cdf = mannWhitneyNullCdf(m, n);
  // Largest C with P(U ≤ C) ≤ (1 − confidence) / 2; the interval is [D(C+1), D(mn−C)], covering
  // 1 − 2·P(U ≤ C). When even C = 0 is too likely, [min, max] (C = 0) with its lower coverage.
  let critical = 0;
  while (critical + 1 < cdf.length && (cdf[critical + 1] as number) <= (1 - confidence) / 2) critical++;
  return {
    n: Math.min(m, n),
    median: estimate,
    low: differences[critical] as number,
    high: differences[differences.length - 1 - critical] as number,
    coverage: 1 - 2 * (cdf[critical] as number),
  };
}
