import { describe, expect, it } from 'vitest';
import { formatMiB, formatMs, formatShare, formatSignedMs, formatSignedPercent } from './format.js';

describe('format', () => {
  it('shows latency as ms with 3 decimals', () => {
    expect(formatMs(300)).toBe('0.300');
    expect(formatMs(12_455)).toBe('12.455');
    expect(formatMs(undefined)).toBe('—');
    expect(formatSignedMs(402)).toBe('+0.402');
    expect(formatSignedMs(-10)).toBe('\u22120.010');
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
});
