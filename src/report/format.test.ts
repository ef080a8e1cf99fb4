import { describe, expect, it } from 'vitest';
import { estimateParts, formatEstimateMs, formatMiB, formatMs, formatShare, formatSignedMs, formatSignedPercent } from './format.js';

describe('format', () => {
  it('shows latency as ms with 3 decimals', () => {
    expect(formatMs(300)).toBe('0.300');
    expect(formatMs(12_455)).toBe('12.455');
    expect(formatMs(undefined)).toBe('—');
    expect(formatSignedMs(402)).toBe('+0.402');
    expect(formatSignedMs(-10)).toBe('\u22120.010');
  });

  it('rounds to a whole µs, half up, and never prints a signed zero', () => {
    expect(formatMs(234.5)).toBe('0.235');
    expect(formatMs(995.5)).toBe('0.996');
    expect(formatSignedMs(-3.5)).toBe('\u22120.003');
    expect(formatSignedMs(-0.4)).toBe('+0.000');
  });

  it('shows ratios, shares and sizes', () => {
    expect(formatSignedPercent(402, 300)).toBe('+134%');
    expect(formatSignedPercent(-15, 300)).toBe('\u22125.0%');
    expect(formatSignedPercent(1, 0)).toBe('—');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(3 / 72_453)).toBe('<0.01%');
    expect(formatShare(0.0123)).toBe('1.23%');
    expect(formatMiB(37.7 * 1024 * 1024)).toBe('37.7');
  });

  describe('formatEstimateMs', () => {
    const estimate = (median: number, low: number, high: number, n = 6, coverage = 1 - 2 / 64) => ({ n, median, low, high, coverage });

    it('writes the median and the interval, bounds rounded outward to 10 µs when the interval is ≥ 0.1 ms wide', () => {
      expect(formatEstimateMs(estimate(605, 520, 700), { signed: true })).toBe('+0.605 ms [+0.52, +0.70]');
      expect(formatEstimateMs(estimate(605, 524, 696), { signed: true })).toBe('+0.605 ms [+0.52, +0.70]');
      expect(formatEstimateMs(estimate(437, 365, 496), { signed: true })).toBe('+0.437 ms [+0.36, +0.50]');
      expect(formatEstimateMs(estimate(303, 291, 321))).toBe('0.303 ms [0.291, 0.321]');
      expect(formatEstimateMs(estimate(303, 291, 321), { unit: false })).toBe('0.303 [0.291, 0.321]');
    });

    it('signs negative bounds with a minus sign, rounded outward too', () => {
      expect(formatEstimateMs(estimate(-3.5, -25, 15), { signed: true })).toBe('\u22120.003 ms [\u22120.025, +0.015]');
      expect(formatEstimateMs(estimate(2_017, -205, 3_680), { signed: true, unit: false })).toBe('+2.017 [\u22120.21, +3.68]');
    });

    it('states the coverage when it is below 95 %, and that one trial has no interval', () => {
      expect(formatEstimateMs(estimate(437, 365, 496, 5, 0.9375), { signed: true })).toBe('+0.437 ms [+0.36, +0.50] (93.8 % CI)');
      expect(estimateParts(estimate(437, 365, 496, 5, 0.9375), { signed: true, unit: false })).toEqual({ text: '+0.437 [+0.36, +0.50]', caveat: '93.8 % CI' });
      expect(formatEstimateMs(estimate(437, 437, 437, 1, 0), { signed: true })).toBe('+0.437 ms (1 trial, no CI)');
      expect(formatEstimateMs({ n: 0, median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 })).toBe('—');
      expect(formatEstimateMs(undefined)).toBe('—');
    });
  });
});

describe('the report’s protocol phrase', () => {
  it('names the protocol and its streams, and says HTTP/1.1 for results without a protocol', async () => {
    const { protocolPhrase } = await import('./html-answer.js');
    expect(protocolPhrase({})).toBe('over HTTP/1.1');
    expect(protocolPhrase({ protocol: 'http2', streamsPerConnection: 64 })).toBe('over HTTP/2 (h2c), 64 streams per connection');
    expect(protocolPhrase({ protocol: 'grpc' })).toBe('over gRPC unary');
  });
});
