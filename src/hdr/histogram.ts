import * as hdr from 'hdr-histogram-js';

/** All latency-like figures are recorded in whole microseconds, 1 µs .. 60 s, 3 significant digits. */
export const HIGHEST_TRACKABLE_US = 60_000_000;

export type Histogram = hdr.Histogram;

export function newHistogramUs(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
}

/**
 * Records a value in µs, rounded to a whole µs (hdr truncates floats) and clamped to [0, 60 s]:
 * a value beyond the range would otherwise throw mid-run. Returns true when the value was above
 * the range (recorded as 60 s), so the caller can count it: such a value must not pass unseen.
 * Negative values (a per-request difference under the header's ms rounding) are recorded as 0.
 */
export function recordUs(histogram: Histogram, valueUs: number): boolean {
  const rounded = Math.round(valueUs);
  histogram.recordValue(Math.min(HIGHEST_TRACKABLE_US, Math.max(0, rounded)));
  return rounded > HIGHEST_TRACKABLE_US;
}

/** Histograms cross process boundaries and live in results.json in this form, never as samples. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}

/** A new histogram holding the sum of the given encoded ones. */
export function mergeEncoded(encodedHistograms: readonly string[]): Histogram {
  const merged = newHistogramUs();
  for (const encoded of encodedHistograms) merged.add(decodeHistogram(encoded));
  return merged;
}

export interface LatencySummaryUs {
  count: number;
  minUs: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

export const SUMMARY_PERCENTILES = [
  ['p50Us', 50],
  ['p90Us', 90],
  ['p99Us', 99],
  ['p999Us', 99.9],
] as const;

export function summarizeUs(histogram: Histogram): LatencySummaryUs {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, minUs: 0, meanUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 };
  return {
    count,
    minUs: histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : histogram.minNonZeroValue,
    meanUs: histogram.mean,
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p99Us: histogram.getValueAtPercentile(99),
    p999Us: histogram.getValueAtPercentile(99.9),
    // The bucket's highest value, like every percentile, so max is never below P99.9 (after an
    // encode/decode round trip hdr reports that anyway).
    maxUs: histogram.getValueAtPercentile(100),
  };
}

/** (percentile, value) pairs for a percentile plot, dense near the tail. */
export function percentileCurveUs(histogram: Histogram, maxPercentile = 99.999): { percentile: number; valueUs: number }[] {
  if (histogram.totalCount === 0) return [];
  const points: { percentile: number; valueUs: number }[] = [];
  // Ticks at 0, 50, 75, 87.5 … halve the remaining distance, 4 points per half, like HdrHistogram's
  // percentile distribution output.
  for (let step = 0; ; step++) {
    const remaining = 100 / 2 ** (step / 4);
    const percentile = 100 - remaining;
    if (percentile > maxPercentile) break;
    points.push({ percentile, valueUs: histogram.getValueAtPercentile(percentile) });
  }
  points.push({ percentile: 100, valueUs: histogram.getValueAtPercentile(100) });
  return points;
}
