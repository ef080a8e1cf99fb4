import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  HIGHEST_TRACKABLE_US,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  newHistogramUs,
  percentileCurveUs,
  recordUs,
  summarizeUs,
  type Histogram,
} from './histogram.js';

function histogramOf(valuesUs: readonly number[]): Histogram {
  const histogram = newHistogramUs();
  for (const value of valuesUs) recordUs(histogram, value);
  return histogram;
}

/** Count recorded at exactly this value (its bucket), through JsHistogram's public index API. */
function countAt(histogram: Histogram, valueUs: number): number {
  if (!(histogram instanceof hdr.JsHistogram)) throw new Error('expected a JS (non-WebAssembly) histogram');
  return histogram.getCountAtIndex(histogram.countsArrayIndex(valueUs));
}

/** 1, 2, …, 1000 µs: every value is below 2048, where 3 significant digits keep each µs exact. */
const ONE_TO_THOUSAND = Array.from({ length: 1000 }, (_, index) => index + 1);

describe('encodeHistogram / decodeHistogram', () => {
  it('round-trips count, mean and every percentile exactly', () => {
    const original = histogramOf(ONE_TO_THOUSAND);
    const expected = { count: 1000, minUs: 1, meanUs: 500.5, p50Us: 500, p90Us: 900, p99Us: 990, p999Us: 999, maxUs: 1000 };
    expect(summarizeUs(original)).toStrictEqual(expected);
    const decoded = decodeHistogram(encodeHistogram(original));
    expect(summarizeUs(decoded)).toStrictEqual(expected);
    expect(decoded.getValueAtPercentile(75)).toBe(750);
  });

  it('encodes to a base64 string', () => {
    expect(encodeHistogram(histogramOf([1, 2, 3]))).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('keeps percentiles above 2048 µs at 3 significant digits', () => {
    const original = histogramOf([123_456, 1000]);
    const decoded = decodeHistogram(encodeHistogram(original));
    expect(decoded.totalCount).toBe(2);
    expect(decoded.getValueAtPercentile(50)).toBe(1000);
    // 123_456 lands in a 64 µs bucket whose highest equivalent value is 123_519.
    expect(decoded.getValueAtPercentile(100)).toBe(123_519);
    expect(original.getValueAtPercentile(100)).toBe(123_519);
    // The decoded maximum is the bucket's highest equivalent value, not the exact recorded one.
    expect(original.maxValue).toBe(123_456);
    expect(decoded.maxValue).toBe(123_519);
  });
});

describe('recordUs', () => {
  it('clamps negative values to 0', () => {
    const histogram = histogramOf([-5, -0.4]);
    expect(histogram.totalCount).toBe(2);
    expect(countAt(histogram, 0)).toBe(2);
    expect(histogram.maxValue).toBe(0);
  });

  it('clamps values beyond 60 s to 60 s instead of throwing', () => {
    const histogram = histogramOf([70_000_000, Number.MAX_SAFE_INTEGER]);
    expect(histogram.totalCount).toBe(2);
    expect(histogram.maxValue).toBe(HIGHEST_TRACKABLE_US);
    expect(countAt(histogram, 60_000_000)).toBe(2);
  });

  it('rounds to the nearest whole µs (hdr alone would truncate)', () => {
    const histogram = histogramOf([2.5, 2.4, 7.6]);
    expect(countAt(histogram, 3)).toBe(1);
    expect(countAt(histogram, 2)).toBe(1);
    expect(countAt(histogram, 8)).toBe(1);
    expect(countAt(histogram, 7)).toBe(0);
    expect(histogram.minNonZeroValue).toBe(2);
    expect(histogram.maxValue).toBe(8);
  });
});

describe('mergeEncoded', () => {
  it('sums the counts of every histogram', () => {
    const merged = mergeEncoded([encodeHistogram(histogramOf([100, 100, 200])), encodeHistogram(histogramOf([300, 400]))]);
    expect(summarizeUs(merged)).toStrictEqual({
      count: 5,
      minUs: 100,
      meanUs: 220,
      p50Us: 200,
      p90Us: 400,
      p99Us: 400,
      p999Us: 400,
      maxUs: 400,
    });
    expect(countAt(merged, 100)).toBe(2);
  });

  it('returns an empty histogram for no inputs', () => {
    expect(mergeEncoded([]).totalCount).toBe(0);
  });

  it('merging one histogram with itself doubles every count', () => {
    const encoded = encodeHistogram(histogramOf(ONE_TO_THOUSAND));
    const merged = mergeEncoded([encoded, encoded]);
    expect(merged.totalCount).toBe(2000);
    expect(countAt(merged, 500)).toBe(2);
    expect(summarizeUs(merged).p50Us).toBe(500);
  });
});

describe('summarizeUs', () => {
  it('is all zeros for an empty histogram', () => {
    const zeros = { count: 0, minUs: 0, meanUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 };
    expect(summarizeUs(newHistogramUs())).toStrictEqual(zeros);
    expect(summarizeUs(decodeHistogram(encodeHistogram(newHistogramUs())))).toStrictEqual(zeros);
  });

  it('reports minUs 0 when only zeros were recorded', () => {
    expect(summarizeUs(histogramOf([0, 0]))).toStrictEqual({
      count: 2,
      minUs: 0,
      meanUs: 0,
      p50Us: 0,
      p90Us: 0,
      p99Us: 0,
      p999Us: 0,
      maxUs: 0,
    });
  });
});

describe('percentileCurveUs', () => {
  it('is empty for an empty histogram', () => {
    expect(percentileCurveUs(newHistogramUs())).toStrictEqual([]);
  });

  it('starts at 0, halves the remaining distance in 4 steps, and ends at 100 with the max', () => {
    const curve = percentileCurveUs(histogramOf(ONE_TO_THOUSAND));
    // 4 points per halving while 100 − 100/2^(step/4) ≤ 99.999, i.e. 2^(step/4) ≤ 10^5: steps 0..66, then 100.
    expect(curve).toHaveLength(68);
    expect(curve[0]).toStrictEqual({ percentile: 0, valueUs: 1 });
    expect(curve[4]).toStrictEqual({ percentile: 50, valueUs: 500 });
    expect(curve[8]).toStrictEqual({ percentile: 75, valueUs: 750 });
    expect(curve[12]).toStrictEqual({ percentile: 87.5, valueUs: 875 });
    expect(curve.at(-1)).toStrictEqual({ percentile: 100, valueUs: 1000 });
    expect(curve.at(-2)?.percentile).toBeLessThanOrEqual(99.999);
  });

  it('is monotonic in both percentile and value', () => {
    const curve = percentileCurveUs(decodeHistogram(encodeHistogram(histogramOf([...ONE_TO_THOUSAND, 5_000, 250_000, 3_000_000]))));
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]!.percentile).toBeGreaterThan(curve[i - 1]!.percentile);
      expect(curve[i]!.valueUs).toBeGreaterThanOrEqual(curve[i - 1]!.valueUs);
    }
    expect(curve.at(-1)).toStrictEqual({ percentile: 100, valueUs: 3_000_319 });
  });

  it('honours a lower maxPercentile', () => {
    const curve = percentileCurveUs(histogramOf(ONE_TO_THOUSAND), 90);
    expect(curve.map((point) => point.percentile).filter((p) => p < 100).every((p) => p <= 90)).toBe(true);
    expect(curve.at(-1)).toStrictEqual({ percentile: 100, valueUs: 1000 });
  });

  // BUG (latent): histogram.ts percentileCurveUs takes its last point from `maxValue` (exact on a
  // histogram that was recorded into, never decoded) but every other point from
  // getValueAtPercentile (the bucket's highest equivalent value). For one value of 123_456 µs the
  // curve goes …, 123_519, 123_519, then 123_456 at 100. summarize.ts only passes decoded/merged
  // histograms, whose maxValue is already the highest equivalent value, so reports are unaffected.
  it('is monotonic on a histogram that was recorded into directly', () => {
    const curve = percentileCurveUs(histogramOf([123_456]));
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.valueUs).toBeGreaterThanOrEqual(curve[i - 1]!.valueUs);
  });
});
