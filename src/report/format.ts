/**
 * Number formatting shared by the HTML report and the terminal summary. One convention for every
 * latency: milliseconds with 3 decimals, which shows whole microseconds (the histograms' unit).
 */

const US_PER_MS = 1000;
const BYTES_PER_MIB = 1024 * 1024;

export const DASH = '—';

export function usToMs(us: number): number {
  return us / US_PER_MS;
}

export function bytesToMiB(bytes: number): number {
  return bytes / BYTES_PER_MIB;
}

/** A latency in µs as milliseconds with 3 decimals ("0.300"); a dash when absent. */
export function formatMs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return DASH;
  return usToMs(us).toFixed(3);
}

/** A latency difference in µs as signed milliseconds ("+0.412", "−0.010"). */
export function formatSignedMs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return DASH;
  const ms = usToMs(us).toFixed(3);
  return us < 0 ? `\u2212${ms.slice(1)}` : `+${ms}`;
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
