import { describe, expect, it } from 'vitest';
import { judgeStep, type Slo } from '../analysis/knee.js';
import type { SweepSpec } from '../scenario/index.js';
import { createSweepPlanner, roundRate } from './sweep-planner.js';

const slo: Slo = { p99Us: 10_000, maxErrorRate: 0.001 };
/** A topology whose P99 is 2 ms up to `kneeRps` and 50 ms above it (every trial alike). */
const measure = (kneeRps: number) => (rate: number) => judgeStep(rate, [1, 2, 3].map(() => ({ achievedRps: rate, p99Us: rate <= kneeRps ? 2000 : 50_000, errorRate: 0, sustained: true })), slo);

function drive(sweep: SweepSpec, kneeRps: number): { rates: number[]; stop: string | undefined } {
  const planner = createSweepPlanner(sweep);
  const rates: number[] = [];
  for (let rate = planner.next(); rate !== undefined; rate = planner.next()) {
    rates.push(rate);
    planner.record(measure(kneeRps)(rate));
  }
  return { rates, stop: planner.stop };
}

describe('sweep planner', () => {
  it('runs listed rates in order and stops once a step is clearly past the SLO', () => {
    const sweep: SweepSpec = { kind: 'rates', ratesPerSecond: [500, 1000, 2000, 4000, 8000], slo };
    expect(drive(sweep, 2500)).toEqual({ rates: [500, 1000, 2000, 4000], stop: 'past-slo' });
    expect(drive(sweep, 10_000)).toEqual({ rates: [500, 1000, 2000, 4000, 8000], stop: 'rates-done' });
  });

  it('searches: grows geometrically, then bisects down to the resolution', () => {
    const sweep: SweepSpec = { kind: 'search', fromRps: 500, toRps: 64_000, maxSteps: 20, factor: 2, resolutionShare: 0.1, slo };
    const { rates, stop } = drive(sweep, 3000);
    expect(rates.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 2800]);
    expect(stop).toBe('resolution');
    // The bracket it ends with holds the true knee and is within 10 %.
    const met = Math.max(...rates.filter((rate) => rate <= 3000));
    const missed = Math.min(...rates.filter((rate) => rate > 3000));
    expect(missed / met - 1).toBeLessThanOrEqual(0.1);
  });

  it('caps the search at its upper bound and its step budget, and stops when the lowest rate misses', () => {
    expect(drive({ kind: 'search', fromRps: 1000, toRps: 3000, maxSteps: 8, factor: 2, resolutionShare: 0.1, slo }, 1e9)).toEqual({ rates: [1000, 2000, 3000], stop: 'upper-bound-met' });
    expect(drive({ kind: 'search', fromRps: 500, toRps: 64_000, maxSteps: 3, factor: 2, resolutionShare: 0.1, slo }, 1e9)).toEqual({ rates: [500, 1000, 2000], stop: 'max-steps' });
    expect(drive({ kind: 'search', fromRps: 500, toRps: 64_000, maxSteps: 8, factor: 2, resolutionShare: 0.1, slo }, 100)).toEqual({ rates: [500], stop: 'below-lowest' });
  });

  it('rounds rates to two significant digits', () => {
    expect([1, 37, 1414, 2828, 56_569].map(roundRate)).toEqual([1, 37, 1400, 2800, 57_000]);
  });
});
