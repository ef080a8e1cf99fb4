/**
 * What a check could resolve, from its own interval: the run's noise (the spread of per-round
 * figures or differences) and its number of rounds, as the distances from the median to the two
 * bounds of its confidence interval.
 *
 * Had the truth been different by Δ, with the same noise, the figures — and with them the median
 * and both bounds — would have moved by Δ. A regression check fails when its optimistic bound is
 * beyond the tolerance, so it would have flagged a worsening of at least
 *     tolerance + (median − optimistic bound)
 * at the run's confidence, and passed one of at most tolerance − (pessimistic bound − median).
 * A threshold check resolves the same way around its limit. These are the run's own resolution,
 * not a power guarantee: a shift exactly this large is flagged about half the time.
 */
import type { MedianEstimate } from '../analysis/statistics.js';
import { GATE_METRICS, type GateMetric } from '../scenario/gates-schema.js';
import { formatMetricValue } from './format-value.js';

/**
 * The values at which a check would have decided. For a regression they are worsenings relative
 * to the baseline (positive = worse, in the metric's base unit); for a threshold, values of the
 * metric's median. Infinite when the interval is unbounded (a sequential look too early to decide).
 */
export interface Resolution {
  /** The check fails only when the true value is at least this far on the unsafe side. */
  failsBeyond: number;
  /** …and passes only when it is within this. */
  passesWithin: number;
}

/** A regression check's resolution from its change interval (candidate − baseline). */
export function regressionResolution(change: Pick<MedianEstimate, 'median' | 'low' | 'high'>, tolerance: number, worse: 'higher' | 'lower'): Resolution {
  // In worsening terms (positive = worse) the optimistic bound is the low one.
  const [median, optimistic, pessimistic] = worse === 'higher' ? [change.median, change.low, change.high] : [-change.median, -change.high, -change.low];
  return { failsBeyond: tolerance + (median - optimistic), passesWithin: tolerance - (pessimistic - median) };
}

/** A threshold check's resolution: the medians it could have failed or passed, around its limit. */
export function thresholdResolution(value: Pick<MedianEstimate, 'median' | 'low' | 'high'>, limit: number, bound: 'max' | 'min'): Resolution {
  return bound === 'max'
    ? { failsBeyond: limit + (value.median - value.low), passesWithin: limit - (value.high - value.median) }
    : { failsBeyond: limit - (value.high - value.median), passesWithin: limit + (value.median - value.low) };
}

/** "≥ +1.234 ms" for a regression check: the smallest regression it would have flagged. */
export function describeRegressionResolution(metric: GateMetric, resolution: Resolution): string {
  if (!Number.isFinite(resolution.failsBeyond)) return 'none (its interval is unbounded)';
  // A worsening of a lower-is-worse metric is a drop: shown as a negative change.
  const sign = GATE_METRICS[metric].worse === 'higher' ? 1 : -1;
  return `${sign === 1 ? '≥' : '≤'} ${formatMetricValue(metric, sign * resolution.failsBeyond, true)}`;
}

/** "fails ≥ 2.300 ms, passes ≤ 1.700 ms" for a threshold check. */
export function describeThresholdResolution(metric: GateMetric, resolution: Resolution, bound: 'max' | 'min'): string {
  if (!Number.isFinite(resolution.failsBeyond) || !Number.isFinite(resolution.passesWithin)) return 'nothing (its interval is unbounded)';
  const [beyond, within] = bound === 'max' ? ['≥', '≤'] : ['≤', '≥'];
  return `fails ${beyond} ${formatMetricValue(metric, resolution.failsBeyond)}, passes ${within} ${formatMetricValue(metric, resolution.passesWithin)}`;
}

/** "outside (1.800 ms, 2.250 ms)": the medians a threshold check could have decided. */
export function describeThresholdBlindSpot(metric: GateMetric, resolution: Resolution): string {
  if (!Number.isFinite(resolution.failsBeyond) || !Number.isFinite(resolution.passesWithin)) return 'none (its interval is unbounded)';
  const [low, high] = [resolution.failsBeyond, resolution.passesWithin].sort((a, b) => a - b) as [number, number];
  return `outside (${formatMetricValue(metric, low)}, ${formatMetricValue(metric, high)})`;
}
