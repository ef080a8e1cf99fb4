import { describe, expect, it } from 'vitest';
import { seededRandom } from '../workloads/seeded-random.js';
import { normal } from '../report/fixture-load.js';
import { MIN_PLAN_ROUNDS, planTolerance, type TolerancePlanOptions } from './tolerance-plan.js';

const OPTIONS: TolerancePlanOptions = { minRounds: 6, maxRounds: 30, confidence: 0.95, power: 0.95, simulations: 400, seed: 1 };
const BASE = 1000;

/** n per-round differences: offset + sd × N(0, 1), both as shares of BASE. */
function differences(n: number, sdShare: number, offsetShare = 0, seed = 7): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => BASE * (offsetShare + sdShare * normal(random)));
}

describe('planTolerance (bootstrap of the sequential gate over an A/A run’s rounds)', () => {
  it('needs a tolerance of the order of the round-to-round noise, and passes ≥ 95 % there with few false alarms', () => {
    const plan = planTolerance(differences(40, 0.1), BASE, 0, 'higher', OPTIONS);
    expect(plan.recommended?.toleranceShare).toBeGreaterThanOrEqual(0.075);
    expect(plan.recommended?.toleranceShare).toBeLessThanOrEqual(0.2);
    expect(plan.recommended?.passShare).toBeGreaterThanOrEqual(0.95);
    expect(plan.recommended?.failShare).toBeLessThanOrEqual(0.05);
    // Every smaller tolerance tried fell short of the power.
    for (const outcome of plan.outcomes.filter((o) => o.toleranceShare < (plan.recommended?.toleranceShare ?? 0))) expect(outcome.passShare).toBeLessThan(0.95);
    expect(plan.spreadShare).toBeGreaterThan(0.08);
    expect(plan.spreadShare).toBeLessThan(0.2);
  });

  it('asks a noisier machine for a wider tolerance, and a quieter one for a narrower', () => {
    const quiet = planTolerance(differences(40, 0.03), BASE, 0, 'higher', OPTIONS).recommended?.toleranceShare ?? Infinity;
    const usual = planTolerance(differences(40, 0.1), BASE, 0, 'higher', OPTIONS).recommended?.toleranceShare ?? Infinity;
    const noisy = planTolerance(differences(40, 0.3), BASE, 0, 'higher', OPTIONS).recommended?.toleranceShare ?? Infinity;
    expect(quiet).toBeLessThan(usual);
    expect(usual).toBeLessThan(noisy);
  });

  it('absorbs an offset between identical pods in either direction: a faster candidate pod plans like a slower one', () => {
    const slower = planTolerance(differences(40, 0.03, 0.15), BASE, 0, 'higher', OPTIONS);
    const faster = planTolerance(differences(40, 0.03, -0.15), BASE, 0, 'higher', OPTIONS);
    expect(slower.recommended?.toleranceShare).toBeGreaterThanOrEqual(0.2);
    expect(faster.recommended?.toleranceShare).toBe(slower.recommended?.toleranceShare);
    expect(faster.offsetShare).toBeCloseTo(-0.15, 1);
  });

  it('reads "worse" from the metric: for req/s a drop is the regression', () => {
    const drops = differences(40, 0.03, -0.15);
    const asThroughput = planTolerance(drops, BASE, 0, 'lower', OPTIONS);
    const asLatency = planTolerance(drops, BASE, 0, 'higher', OPTIONS);
    // Mirrored either way, so the answer is the same; the per-direction shares differ.
    expect(asThroughput.recommended?.toleranceShare).toBe(asLatency.recommended?.toleranceShare);
    const at10 = asThroughput.outcomes.find((o) => o.toleranceShare === 0.1);
    expect(at10?.failShare).toBeGreaterThan(0.5);
  });

  it('never plans below the floor: with a floor above the noise the smallest share tried already decides, at the floor', () => {
    const plan = planTolerance(differences(40, 0.05), BASE, 400, 'higher', OPTIONS);
    expect(plan.recommended?.toleranceShare).toBe(0.05);
    expect(plan.recommended?.tolerance).toBe(400);
  });

  it('says when no tolerance up to 100 % decides in the rounds allowed', () => {
    const plan = planTolerance(differences(40, 3), BASE, 0, 'higher', { ...OPTIONS, maxRounds: 8 });
    expect(plan.recommended).toBeUndefined();
  });

  it('repeats exactly with the same seed, and refuses too few rounds', () => {
    expect(planTolerance(differences(20, 0.1), BASE, 0, 'higher', OPTIONS)).toEqual(planTolerance(differences(20, 0.1), BASE, 0, 'higher', OPTIONS));
    expect(() => planTolerance(differences(MIN_PLAN_ROUNDS - 1, 0.1), BASE, 0, 'higher', OPTIONS)).toThrow(RangeError);
  });
});
