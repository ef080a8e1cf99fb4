/**
 * Number formatting shared by the HTML report and the terminal summary. One convention for every
 * latency: milliseconds with 3 decimals, which shows whole microseconds (the histograms' unit).
 */
import { DEFAULT_CONFIDENCE } from '../analysis/statistics.js';
import type { MedianEstimate } from './summary-types.js';

const US_PER_MS = 1000;
const BYTES_PER_MIB = 1024 * 1024;

export const DASH = '—';

export function usToMs(us: number): number {
  return us / US_PER_MS;
}

export function bytesToMiB(bytes: number): number {
  return bytes / BYTES_PER_MIB;
}

/** A latency in µs as milliseconds with 3 decimals ("0.300"), rounded to a whole µs (half up); a dash when absent. */
export function formatMs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return DASH;
  return usToMs(Math.round(us)).toFixed(3);
}

/** A latency difference in µs as signed milliseconds ("+0.412", "−0.010"), rounded to a whole µs. */
export function formatSignedMs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return DASH;
  const rounded = Math.round(us);
  const text = usToMs(Math.abs(rounded)).toFixed(3);
  return rounded < 0 ? `\u2212${text}` : `+${text}`;
}

/** A ratio as a signed percentage ("+133%"); a dash when the base is 0 or absent. */
export function formatSignedPercent(part: number | undefined, base: number | undefined): string {
  if (part === undefined || base === undefined || base === 0 || !Number.isFinite(part / base)) return DASH;
  const percent = (100 * part) / base;
  const digits = Math.abs(percent) < 10 ? 1 : 0;
  const text = Math.abs(percent).toFixed(digits);
  return percent < 0 ? `\u2212${text}%` : `+${text}%`;
}

/** A share in [0, 1] as a percentage with up to 2 decimals ("0.05%", "100%"). */
export function formatShare(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return DASH;
  const percent = share * 100;
  if (percent === 0 || percent === 100) return `${percent}%`;
  return `${percent < 0.01 ? '<0.01' : Number(percent.toFixed(2))}%`;
}

/** A count or rate with thousands separators and at most `decimals` decimals. */
export function formatNumber(value: number | undefined, decimals = 0): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function formatMiB(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return DASH;
  return bytesToMiB(bytes).toFixed(1);
}

/** Decimals of a latency in ms with the given step in µs: 1 µs → 3, 10 µs → 2. */
const DECIMALS_OF_STEP: Record<number, number> = { 1: 3, 10: 2 };

function signedText(text: string, negative: boolean, signed: boolean): string {
  if (negative) return `\u2212${text.replace(/^-/, '')}`;
  return signed ? `+${text}` : text;
}

export interface EstimateFormat {
  /** "+0.605" instead of "0.605": for differences. Default false. */
  signed?: boolean;
  /** Append " ms" to the median. Default true (a table whose header names the unit passes false). */
  unit?: boolean;
}

/**
 * A median over trials with its confidence interval: "+0.605 ms [+0.52, +0.70]". The bounds are
 * rounded outward (the printed interval never claims more than the computed one), to 10 µs when
 * the interval is at least 0.1 ms wide, else to 1 µs. When the interval covers less than
 * `confidence` (too few trials) its coverage follows: "… (93.8 % CI)"; one trial has none.
 */
export function formatEstimateMs(estimate: MedianEstimate | undefined, options: EstimateFormat = {}, confidence = DEFAULT_CONFIDENCE): string {
  const { text, caveat } = estimateParts(estimate, options, confidence);
  return caveat === undefined ? text : `${text} (${caveat})`;
}

/** formatEstimateMs in two parts: the estimate, and the caveat ("93.8 % CI", "1 trial, no CI") a table puts below it. */
export function estimateParts(estimate: MedianEstimate | undefined, options: EstimateFormat = {}, confidence = DEFAULT_CONFIDENCE): { text: string; caveat?: string } {
  if (estimate === undefined || estimate.n === 0 || !Number.isFinite(estimate.median)) return { text: DASH };
  const signed = options.signed ?? false;
  const median = `${signed ? formatSignedMs(estimate.median) : formatMs(estimate.median)}${options.unit === false ? '' : ' ms'}`;
  if (estimate.n === 1) return { text: median, caveat: '1 trial, no CI' };
  const stepUs = estimate.high - estimate.low >= 100 ? 10 : 1;
  const decimals = DECIMALS_OF_STEP[stepUs] ?? 3;
  const bound = (us: number) => signedText(usToMs(us).toFixed(decimals), us < 0, signed);
  const low = bound(Math.floor(estimate.low / stepUs) * stepUs);
  const high = bound(Math.ceil(estimate.high / stepUs) * stepUs);
  const text = `${median} [${low}, ${high}]`;
  return estimate.coverage < confidence ? { text, caveat: `${formatCoverage(estimate.coverage)} CI` } : { text };
}

/** An interval's coverage as "93.8 %". */
export function formatCoverage(coverage: number): string {
  return `${(coverage * 100).toFixed(1)} %`;
}
