import { describe, expect, it } from 'vitest';
import { parseDurationUs, parseRatePerSecond, parseSizeBytes } from './units.js';

describe('parseDurationUs', () => {
  it.each([
    ['10s', 10_000_000],
    ['250ms', 250_000],
    ['500us', 500],
    ['500µs', 500],
    ['1m', 60_000_000],
    ['1h', 3_600_000_000],
    ['0ms', 0],
    ['1.5s', 1_500_000],
    ['0.5ms', 500],
    [' 10 s ', 10_000_000],
    ['10 ms', 10_000],
    // Rounded to whole µs.
    ['0.0004ms', 0],
    ['0.0006ms', 1],
  ])('%j → %i µs', (text, us) => {
    expect(parseDurationUs(text)).toBe(us);
  });

  it.each(['10', '', 's', '10S', '10H', '10sec', '1min', '-1s', '1e3ms', '.5s', '1.s', '10 s s'])('rejects %j', (text) => {
    expect(parseDurationUs(text)).toBeUndefined();
  });
});

describe('parseSizeBytes', () => {
  it.each([
    ['0B', 0],
    ['1KiB', 1024],
    ['1 KiB', 1024],
    ['1.5KiB', 1536],
    ['1MiB', 1_048_576],
    ['1GiB', 1_073_741_824],
    ['64kB', 64_000],
    ['1.5kB', 1500],
    ['1MB', 1_000_000],
    ['2.5MB', 2_500_000],
    ['1GB', 1_000_000_000],
  ])('%j → %i bytes', (text, bytes) => {
    expect(parseSizeBytes(text)).toBe(bytes);
  });

  it.each(['1024', '1kb', '1K', '1KB', '1kiB', '0.5B', '1.5', '-1B', 'KiB', ''])('rejects %j', (text) => {
    expect(parseSizeBytes(text)).toBeUndefined();
  });

  // BUG: units.ts parseSizeBytes rejects a whole number of bytes when the float product is off by
  // one ulp: 1.001 * 1000 = 1000.9999999999999, so Number.isInteger fails and "1.001kB" (1001 B)
  // is reported as "expected a size with a unit".
  it('accepts "1.001kB" as 1001 bytes', () => {
    expect(parseSizeBytes('1.001kB')).toBe(1001);
  });
});

describe('parseRatePerSecond', () => {
  it.each([
    ['1000/s', 1000],
    ['600/min', 10],
    ['6000/min', 100],
    [' 5 / s ', 5],
    ['1.5/s', 1.5],
    ['0/s', 0],
  ])('%j → %d per second', (text, perSecond) => {
    expect(parseRatePerSecond(text)).toBe(perSecond);
  });

  it('keeps fractional rates per minute unrounded', () => {
    expect(parseRatePerSecond('1/min')).toBe(1 / 60);
  });

  it.each(['1000', '1000/h', '100/m', '1000 rps', '/s', '1000/S', '-5/s', ''])('rejects %j', (text) => {
    expect(parseRatePerSecond(text)).toBeUndefined();
  });
});
