/**
 * Ordinary least squares y = intercept + slope·x with Student-t confidence intervals for both
 * coefficients and the residual standard error. Used for cost per unit of work: sidecar vCPU
 * against achieved req/s (slope = vCPU per req/s, intercept = idle cost), RSS against connections.
 * The intervals assume independent trials with roughly normal, equal-variance residuals around a
 * straight line; the residual and the points are published beside them so a reader can see when
 * that does not hold (a bend past saturation, one outlying trial).
 */
import { DEFAULT_CONFIDENCE } from './statistics.js';
import { studentTQuantile } from './student-t.js';

export interface FitInterval {
  estimate: number;
  low: number;
  high: number;
}

export interface LinearFit {
  /** Points the fit used. */
  n: number;
  slope: FitInterval;
  intercept: FitInterval;
  /** Residual standard error √(SSE / (n − 2)), in y's unit; 0 for points exactly on a line. */
  residualStdError: number;
  /** Coefficient of determination (1 when every point is on the line; NaN when y does not vary). */
  rSquared: number;
  /** Two-sided confidence of the intervals, e.g. 0.95. */
  confidence: number;
}

/**
 * Fits a line through the points. Returns undefined when no line is determined: fewer than 3
 * points (no residual degree of freedom, so no interval) or every x equal.
 */
export function fitLine(points: readonly { x: number; y: number }[], confidence = DEFAULT_CONFIDENCE): LinearFit | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { x, y } of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  if (sxx <= 1e-12 * Math.max(1, meanX * meanX) * n) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const sse = points.reduce((sum, { x, y }) => sum + (y - intercept - slope * x) ** 2, 0);
  // Rounding leaves ~1e-30 of "residual" on exact data; anything that small is a line.
  const residualVariance = sse <= 1e-24 * Math.max(1, syy) ? 0 : sse / (n - 2);
  const t = studentTQuantile(1 - (1 - confidence) / 2, n - 2);
  const slopeHalf = t * Math.sqrt(residualVariance / sxx);
  const interceptHalf = t * Math.sqrt(residualVariance * (1 / n + (meanX * meanX) / sxx));
  return {
    n,
    slope: { estimate: slope, low: slope - slopeHalf, high: slope + slopeHalf },
    intercept: { estimate: intercept, low: intercept - interceptHalf, high: intercept + interceptHalf },
    residualStdError: Math.sqrt(residualVariance),
    rSquared: syy > 0 ? 1 - sse / syy : Number.NaN,
    confidence,
  };
}

/** The fitted line's value at x. */
export function predict(fit: Pick<LinearFit, 'slope' | 'intercept'>, x: number): number {
  return fit.intercept.estimate + fit.slope.estimate * x;
}
