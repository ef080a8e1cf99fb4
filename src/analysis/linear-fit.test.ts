import { describe, expect, it } from 'vitest';
import { fitLine, predict } from './linear-fit.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

describe('studentTQuantile', () => {
  it('matches published t tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.1824, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(studentTQuantile(0.95, 30)).toBeCloseTo(1.6973, 4);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 3)).toBeCloseTo(-3.1824, 4);
  });

  it('inverts its own cdf', () => {
    for (const df of [1, 4, 17]) for (const p of [0.6, 0.9, 0.995]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
  });

  it('refuses p outside (0, 1) and df ≤ 0', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/df/);
  });
});

describe('fitLine', () => {
  it('recovers an exact line with a zero-width interval and no residual', () => {
    const fit = fitLine([0, 1000, 2000, 4000].map((x) => ({ x, y: 0.02 + 0.0003 * x })));
    expect(fit).toBeDefined();
    expect(fit?.slope.estimate).toBeCloseTo(0.0003, 12);
    expect(fit?.intercept.estimate).toBeCloseTo(0.02, 12);
    expect(fit?.slope.low).toBeCloseTo(0.0003, 12);
    expect(fit?.slope.high).toBeCloseTo(0.0003, 12);
    expect(fit?.intercept.low).toBeCloseTo(0.02, 12);
    expect(fit?.residualStdError).toBe(0);
    expect(fit?.rSquared).toBeCloseTo(1, 12);
    expect(predict(fit!, 5000)).toBeCloseTo(1.52, 12);
  });

  it('gives the textbook interval on noisy data', () => {
    // x 1..5, y 2 4 5 4 5: slope 0.6, intercept 2.2, SSE 2.4, s² = 0.8, Sxx = 10, t(0.975, 3) = 3.18245.
    const fit = fitLine([2, 4, 5, 4, 5].map((y, i) => ({ x: i + 1, y })));
    expect(fit?.n).toBe(5);
    expect(fit?.slope.estimate).toBeCloseTo(0.6, 12);
    expect(fit?.intercept.estimate).toBeCloseTo(2.2, 12);
    expect(fit?.residualStdError).toBeCloseTo(Math.sqrt(0.8), 12);
    const slopeHalf = 3.182446 * Math.sqrt(0.8 / 10);
    expect(fit?.slope.low).toBeCloseTo(0.6 - slopeHalf, 5);
    expect(fit?.slope.high).toBeCloseTo(0.6 + slopeHalf, 5);
    const interceptHalf = 3.182446 * Math.sqrt(0.8 * (1 / 5 + 9 / 10));
    expect(fit?.intercept.low).toBeCloseTo(2.2 - interceptHalf, 5);
    expect(fit?.rSquared).toBeCloseTo(1 - 2.4 / 6, 12);
  });

  it('narrows the interval at a lower confidence', () => {
    const points = [2, 4, 5, 4, 5].map((y, i) => ({ x: i + 1, y }));
    const wide = fitLine(points, 0.95)!;
    const narrow = fitLine(points, 0.8)!;
    expect(narrow.slope.high - narrow.slope.low).toBeLessThan(wide.slope.high - wide.slope.low);
  });

  it('determines no line from fewer than 3 points or one x', () => {
    expect(fitLine([{ x: 1, y: 1 }, { x: 2, y: 2 }])).toBeUndefined();
    expect(fitLine([{ x: 8, y: 1 }, { x: 8, y: 2 }, { x: 8, y: 3 }])).toBeUndefined();
  });
});
