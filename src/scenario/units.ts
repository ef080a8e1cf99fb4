/**
 * Units as written in scenario files, converted in one place. Every quantity must carry its unit:
 * a bare number is rejected, because "10" could be seconds or milliseconds.
 *
 * Written by hand rather than with a general parser (parse-duration, bytes) because those accept
 * unit-less numbers and spaced phrases silently; here every accepted form is listed below.
 */

const DURATION_UNITS_US: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

const SIZE_UNITS_BYTES: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  kB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
};

const RATE_UNITS_PER_SECOND: Record<string, number> = {
  s: 1,
  min: 1 / 60,
};

const NUMBER_WITH_UNIT = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+)\s*$/;

function parseWithUnit(text: string, units: Record<string, number>): number | undefined {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return undefined;
  const factor = units[match[2] as string];
  if (factor === undefined) return undefined;
  return Number(match[1]) * factor;
}

/** "250ms" → 250_000. Accepts us, µs, ms, s, m, h. */
export function parseDurationUs(text: string): number | undefined {
  const us = parseWithUnit(text, DURATION_UNITS_US);
  return us === undefined ? undefined : Math.round(us);
}

/** "1KiB" → 1024. Accepts B, KiB, MiB, GiB, kB, MB, GB. */
export function parseSizeBytes(text: string): number | undefined {
  const bytes = parseWithUnit(text, SIZE_UNITS_BYTES);
  if (bytes === undefined) return undefined;
  // 1.001 * 1000 is 1000.9999999999999 in floating point: accept what is a whole byte count to 1e-6.
  const whole = Math.round(bytes);
  return Math.abs(bytes - whole) < 1e-6 ? whole : undefined;
}

/** "1000/s" → 1000, "600/min" → 10. */
export function parseRatePerSecond(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|min)\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (RATE_UNITS_PER_SECOND[match[2] as string] as number);
}

export const DURATION_FORMS = 'a duration with a unit, like "10s", "250ms" or "500us"';
export const SIZE_FORMS = 'a size with a unit, like "0B", "1KiB" or "64kB"';
export const RATE_FORMS = 'a rate with a unit, like "1000/s" or "6000/min"';
