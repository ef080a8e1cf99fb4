/**
 * Kubernetes resource quantities (`200m`, `0.5`, `128Mi`, `1G`, `1e3`), parsed and formatted the
 * way k8s.io/apimachinery/pkg/api/resource does (quantity.go, suffix.go):
 *
 * ```
 * <quantity>        ::= <signedNumber><suffix>
 * <signedNumber>    ::= <number> | <sign><number>          <sign> ::= "+" | "-"
 * <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 * <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 * <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei                      (powers of 1024)
 * <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E           (powers of 1000)
 * <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 * ```
 *
 * Written here rather than taken from @kubernetes/client-node 1.4.0 (the release that runs on
 * Node 20): its `quantityToScalar` (src/util.ts) rejects valid quantities with a fraction and a
 * suffix (`1.5Gi`, `0.5G`: `BigInt("1.5")` throws) and accepts what the API server refuses
 * (`0x10`, `Infinity`, `1e3m`, surrounding spaces), and it would bring 16 runtime dependencies.
 *
 * Values are kept exact (a bigint coefficient and powers of 10 and 2) and rounded only where the
 * kubelet rounds: `MilliValue()` and `Value()` round up (quantity.go `ScaledValue` → `ceil`).
 */

/** A parsed quantity: exactly `coefficient × 10^exponent10 × 2^exponent2`. */
export interface Quantity {
  /** As written (trimmed of nothing: a quantity with spaces is not a quantity). */
  text: string;
  coefficient: bigint;
  exponent10: number;
  exponent2: number;
}

const DECIMAL_SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** number, then a suffix: binary, decimal SI, or an exponent ("e3", "E-2"). */
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The quantity forms, for messages. */
export const QUANTITY_FORMS = 'a Kubernetes quantity like "250m", "0.5", "2", "128Mi", "1G" or "1e3"';

/** Parses a quantity; undefined when the text is not one (the API server would refuse it too). */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, exponent, suffix] = match as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole, fraction = ''] = number.split('.') as [string, string | undefined];
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  let coefficient = BigInt(digits);
  if (sign === '-') coefficient = -coefficient;
  let exponent10 = -fraction.length;
  let exponent2 = 0;
  if (exponent !== undefined) {
    const power = Number(exponent.slice(1));
    // apimachinery reads the exponent as an int64; beyond ±1000 the value is nonsense for any resource.
    if (!Number.isSafeInteger(power) || Math.abs(power) > 1000) return undefined;
    exponent10 += power;
  } else if (suffix !== undefined && suffix in BINARY_SI) {
    exponent2 = BINARY_SI[suffix] as number;
  } else {
    exponent10 += DECIMAL_SI[suffix ?? ''] as number;
  }
  return { text, coefficient, exponent10, exponent2 };
}

/** ceil(quantity × 10^scale10) as a bigint: apimachinery's ScaledValue rounding (up, away from zero for positives). */
function scaledCeil(quantity: Quantity, scale10: number): bigint {
  let numerator = quantity.coefficient * 2n ** BigInt(quantity.exponent2);
  let denominator = 1n;
  const power10 = quantity.exponent10 + scale10;
  if (power10 >= 0) numerator *= 10n ** BigInt(power10);
  else denominator = 10n ** BigInt(-power10);
  const quotient = numerator / denominator;
  // BigInt division truncates toward zero: round up what has a positive remainder.
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

/** `MilliValue()`: thousandths of the quantity, rounded up ("0.5" → 500, "1" → 1000, "0.0001" → 1). */
export function milliValue(quantity: Quantity): number {
  return Number(scaledCeil(quantity, 3));
}

/** `Value()`: the quantity as a whole number, rounded up ("1Gi" → 1073741824, "1.5k" → 1500). */
export function wholeValue(quantity: Quantity): number {
  return Number(scaledCeil(quantity, 0));
}

/** Why a resource value is refused, or the value. `field` is how the message names it. */
export type ResourceParse = { ok: true; value: number } | { ok: false; message: string };

/** YAML gives `cpu: 0.5` and `cpu: 1e3` as numbers; Kubernetes takes them too. */
function asText(value: string | number): string | undefined {
  if (typeof value === 'string') return value;
  return Number.isFinite(value) ? String(value) : undefined;
}

/** Beyond this the kubelet's int64 arithmetic and JavaScript numbers both stop being exact. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A CPU amount in millicores (`250m` → 250, `0.5` → 500, `2` → 2000), rounded up like the
 * kubelet's `MilliValue()`. Negative values and values past 2^53 m are refused.
 */
export function parseCpuMillis(value: string | number): ResourceParse {
  const text = asText(value);
  const quantity = text === undefined ? undefined : parseQuantity(text);
  if (!quantity) return { ok: false, message: `expected ${QUANTITY_FORMS} (CPU cores); got ${JSON.stringify(value)}` };
  if (quantity.coefficient < 0n) return { ok: false, message: `must be greater than or equal to 0; got "${text}"` };
  const milli = scaledCeil(quantity, 3);
  if (milli > BigInt(MAX_SAFE)) return { ok: false, message: `"${text}" is more CPU than any node has` };
  return { ok: true, value: Number(milli) };
}

/**
 * A memory amount in bytes (`128Mi` → 134217728, `1G` → 1e9, `1e3` → 1000), rounded up to a
 * whole byte like the kubelet's `Value()`. A bare number is bytes, as in Kubernetes.
 */
export function parseMemoryBytes(value: string | number): ResourceParse {
  const text = asText(value);
  const quantity = text === undefined ? undefined : parseQuantity(text);
  if (!quantity) return { ok: false, message: `expected ${QUANTITY_FORMS} (bytes; Mi = 1024², M = 1000²); got ${JSON.stringify(value)}` };
  if (quantity.coefficient < 0n) return { ok: false, message: `must be greater than or equal to 0; got "${text}"` };
  const bytes = scaledCeil(quantity, 0);
  if (bytes > BigInt(MAX_SAFE)) return { ok: false, message: `"${text}" is more memory than any node has` };
  return { ok: true, value: Number(bytes) };
}

/**
 * Millicores in canonical Kubernetes form: whole cores without a suffix ("1", "2"), else
 * millicores ("250m", "1500m"), as `resource.NewMilliQuantity(m, DecimalSI).String()` prints them.
 * Throws RangeError on a negative or fractional input.
 */
export function formatCpuMillis(milli: number): string {
  if (!Number.isSafeInteger(milli) || milli < 0) throw new RangeError(`millicores must be a whole number ≥ 0, got ${milli}`);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * Bytes in canonical BinarySI form: the largest binary suffix that divides them exactly
 * ("128Mi", "1Gi", "1536Mi"), else plain bytes, as `NewQuantity(b, BinarySI).String()` prints
 * them. Round up first (e.g. to whole Mi) for a short figure. Throws RangeError on bad input.
 */
export function formatMemoryBytes(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bytes must be a whole number ≥ 0, got ${bytes}`);
  if (bytes === 0) return '0';
  const suffixes = Object.entries(BINARY_SI).reverse();
  for (const [suffix, power] of suffixes) {
    const unit = 2 ** power;
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
