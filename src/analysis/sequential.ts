/**
 * The sequential gate: confidence intervals that stay valid when a run keeps adding rounds until
 * its checks decide (gates.rounds: { min, max }).
 *
 * Looking at a fixed-size 95 % interval after every round and stopping once it decides inflates
 * false alarms: each look is another chance for the interval to miss (simulated in
 * sequential-simulation.test.ts: 7.0 % one-sided instead of 2.5 %). The procedure here is an exact,
 * distribution-free **group-sequential sign test** with an **alpha-spending function**:
 *
 * - The order-statistics interval [x(k), x(n−k+1)] misses the true median θ on the low side iff
 *   fewer than k of the n values lie below θ. For any continuous distribution (however heavy its
 *   tails) that count, as rounds are added, is a simple random walk with Binomial(½) steps; ties
 *   only make a miss less likely. This is the observation behind the quantile confidence sequences
 *   of Howard & Ramdas (2022), "Sequential estimation of quantiles with applications to A/B-testing
 *   and best-arm identification", Bernoulli 28(3) — here used with exact arithmetic instead of
 *   their asymptotic boundaries, which are loose at 6–30 rounds.
 * - Every round from `min` to `max` is a look. At look n the rank k(n) is the largest whose exact
 *   cumulative probability of the walk ever having crossed (at this or any earlier look) stays
 *   within the one-sided budget spent so far, α/2 · (n / max)^ρ: the power-family spending function
 *   of Kim & DeMets (1987), "Design and analysis of group sequential tests based on the type I
 *   error spending rate function", Biometrika 74(1), within the Lan & DeMets (1983) framework
 *   ("Discrete sequential boundaries for clinical trials", Biometrika 70(3)). Crossing
 *   probabilities come from dynamic programming on the walk, so the design's error is exact, not a
 *   union bound.
 * - ρ = ¼ spends early on purpose: most checks decide at the first look, and the sign test at 6
 *   rounds can only use [min, max] (1/64 per side), which needs 1/64 of the 1/40 budget at t = 6/30.
 *   With min 6, max 30 the first looks are the fixed-size intervals; the last is [x(8), x(23)]
 *   instead of [x(10), x(21)].
 * - The result is time-uniform over the planned looks: with probability ≥ 1 − α every look's
 *   interval covers the median, so any stopping rule — "stop when every check decides", a wall-time
 *   budget, another check's data — keeps each verdict's error within α/2 per side. The gate
 *   reports the latest look's interval. (Intersecting all looks so far would also be valid and
 *   narrower, but on a machine that drifts during a run it yields intervals that exclude the
 *   run's own median — seen on real runs — so it is not used.)
 *
 * Two independent samples (a candidate run against a separate baseline run) have no such walk;
 * there each look gets its own slice of the spent budget (Bonferroni over looks: valid under any
 * dependence, conservative), applied to the exact Mann–Whitney interval of shift.ts.
 */
import { estimateShift } from './shift.js';
import { median, type MedianEstimate } from './statistics.js';

/** The spending exponent ρ of α·t^ρ (see above for why early spending). */
export const SPENDING_EXPONENT = 0.25;

/** Floating-point slack when comparing cumulative probabilities with the budget. */
const EPSILON = 1e-12;

export interface SequentialDesign {
  minRounds: number;
  maxRounds: number;
  /** Two-sided confidence the design guarantees over all its looks together. */
  confidence: number;
  /** ranks[n] for n = minRounds…maxRounds: the bound is the k-th smallest / largest value; 0 = no bound yet. */
  ranks: readonly number[];
  /** spentPerSide[n]: exact probability, per side, that some look ≤ n has missed the median. */
  spentPerSide: readonly number[];
  /** budgetPerSide[n]: the spending function's one-sided budget at look n, α/2 · (n/max)^ρ. */
  budgetPerSide: readonly number[];
}

/** One-sided error the spending function allows by look n of a design over [min, max]. */
export function spendingBudget(n: number, maxRounds: number, confidence: number): number {
  return ((1 - confidence) / 2) * (n / maxRounds) ** SPENDING_EXPONENT;
}

/**
 * The boundaries of a group-sequential sign test with looks at every round from min to max.
 * Throws a RangeError for rounds outside 1…1000 or min > max (the scenario schema refuses those first).
 */
export function sequentialDesign(minRounds: number, maxRounds: number, confidence: number): SequentialDesign {
  if (!Number.isInteger(minRounds) || !Number.isInteger(maxRounds) || minRounds < 1 || maxRounds < minRounds || maxRounds > 1000) {
    throw new RangeError(`rounds must satisfy 1 ≤ min ≤ max ≤ 1000, got min ${minRounds}, max ${maxRounds}`);
  }
  // alive[j]: probability that the walk has j values below the median after n steps and has not crossed yet.
  let alive = [1];
  let spent = 0;
  const ranks: number[] = [];
  const spentPerSide: number[] = [];
  const budgetPerSide: number[] = [];
  for (let n = 1; n <= maxRounds; n++) {
    const next = new Array<number>(n + 1).fill(0);
    alive.forEach((p, j) => {
      next[j] = (next[j] as number) + p / 2;
      next[j + 1] = (next[j + 1] as number) + p / 2;
    });
    alive = next;
    if (n < minRounds) continue;
    const budget = spendingBudget(n, maxRounds, confidence);
    // Largest k with P(crossed before) + P(j ≤ k − 1 now) within the budget: the k-th smallest value
    // is above the median exactly when at most k − 1 values are below it.
    let k = 0;
    let crossing = 0;
    while (k < Math.ceil(n / 2) && spent + crossing + (alive[k] as number) <= budget + EPSILON) {
      crossing += alive[k] as number;
      k++;
    }
    for (let j = 0; j < k; j++) alive[j] = 0;
    spent += crossing;
    ranks[n] = k;
    spentPerSide[n] = spent;
    budgetPerSide[n] = budget;
  }
  return { minRounds, maxRounds, confidence, ranks, spentPerSide, budgetPerSide };
}

/** Guaranteed simultaneous coverage of all the design's looks: 1 − 2 · (error spent per side). */
export function designCoverage(design: SequentialDesign): number {
  return 1 - 2 * (design.spentPerSide[design.maxRounds] as number);
}

const unbounded = (n: number, center: number, coverage: number): MedianEstimate => ({ n, median: center, low: -Infinity, high: Infinity, coverage });

/**
 * The design's interval at one look, n = values.length, on its own. Outside [min, max], or at a
 * look too early for any bound, it is (−∞, ∞): nothing can be decided.
 */
export function sequentialLook(values: readonly number[], design: SequentialDesign): MedianEstimate {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const coverage = designCoverage(design);
  if (n === 0) return { n: 0, median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 };
  const k = n >= design.minRounds && n <= design.maxRounds ? (design.ranks[n] as number) : 0;
  if (k === 0) return unbounded(n, median(sorted), coverage);
  return { n, median: median(sorted), low: sorted[k - 1] as number, high: sorted[n - k] as number, coverage };
}

/** Median of per-round figures with the design's interval at the look they make (n = values.length). */
export function sequentialMedian(values: readonly number[], design: SequentialDesign): MedianEstimate {
  return sequentialLook(values, design);
}

/** The one-sided error the design lets look n spend on its own (the budget's increment at n). */
export function lookBudget(n: number, design: SequentialDesign): number {
  if (n < design.minRounds || n > design.maxRounds) return 0;
  const before = n === design.minRounds ? 0 : (design.budgetPerSide[n - 1] as number);
  return (design.budgetPerSide[n] as number) - before;
}

/**
 * Candidate − baseline shift (two separate runs) at look n = candidate.length alone: the exact
 * Mann–Whitney interval at confidence 1 − 2 · (this look's slice of the budget), or (−∞, ∞) when
 * the slice cannot buy any interval. Over all looks the coverage is ≥ confidence (union bound).
 */
export function sequentialShiftLook(candidate: readonly number[], baseline: readonly number[], design: SequentialDesign): MedianEstimate {
  const slice = lookBudget(candidate.length, design);
  // The slices add up to the whole budget: by the union bound, the confidence asked for.
  const coverage = design.confidence;
  const estimate = estimateShift(candidate, baseline, 1 - 2 * slice);
  if (estimate.n === 0) return estimate;
  if (slice === 0 || estimate.coverage < 1 - 2 * slice - EPSILON) return unbounded(estimate.n, estimate.median, coverage);
  return { ...estimate, coverage };
}

/** The shift at the look the candidate's rounds make (see sequentialShiftLook). */
export function sequentialShift(candidate: readonly number[], baseline: readonly number[], design: SequentialDesign): MedianEstimate {
  return sequentialShiftLook(candidate, baseline, design);
}
