/**
 * Proof by simulation that the sequential gate keeps its error rate while adding rounds, and that
 * the naive alternative does not. Seeded: the counts are the same on every machine. Tolerances are
 * stated as 3 standard errors of a rate at the nominal level over the simulated gates.
 */
import { describe, expect, it } from 'vitest';
import { sequentialDesign } from './sequential.js';
import { simulateGates, type NoiseName, type Procedure, type SimulationOutcome } from './sequential-simulation.js';

const GATES = 4000;
const CONFIDENCE = 0.95;
const design = sequentialDesign(6, 30, CONFIDENCE);
const sequential: Procedure = { kind: 'sequential', design };
const naive: Procedure = { kind: 'naive', minRounds: 6, maxRounds: 30, confidence: CONFIDENCE };
const fixed6: Procedure = { kind: 'fixed', rounds: 6, confidence: CONFIDENCE };

/** nominal + 3 standard errors of a binomial rate at the nominal level over `gates` trials. */
const withTolerance = (nominal: number, gates: number) => nominal + 3 * Math.sqrt((nominal * (1 - nominal)) / gates);
const rate = (count: number, outcome: SimulationOutcome, checks = 1) => count / (outcome.gates * checks);
const describeOutcome = (label: string, o: SimulationOutcome, checks = 1) =>
  `${label}: fail ${(100 * rate(o.fail, o, checks)).toFixed(2)} %, pass ${(100 * rate(o.pass, o, checks)).toFixed(2)} %, inconclusive ${(100 * rate(o.inconclusive, o, checks)).toFixed(2)} %, interval missed the truth ${(100 * rate(o.missed, o, checks)).toFixed(2)} %, ${o.meanRounds.toFixed(1)} rounds on average`;

describe('sequential gate under no regression (the true change sits exactly at the tolerance: the hardest case)', () => {
  // A false alarm is a "fail" when the change is within the tolerance; its worst case is a change
  // equal to the tolerance. Nominal: 2.5 % per side (the 95 % interval's lower bound above the
  // tolerance), 5 % two-sided (the interval at the stop missing the truth on either side).
  const oneSided = withTolerance(0.025, GATES);
  const twoSided = withTolerance(0.05, GATES);

  for (const [noise, seed] of [['normal', 1], ['cauchy', 2], ['lognormal', 3]] as [NoiseName, number][]) {
    it(`keeps false alarms ≤ 2.5 % one-sided and misses ≤ 5 % two-sided with ${noise} noise, over ${GATES} gates of 6…30 rounds`, () => {
      const outcome = simulateGates({ procedure: sequential, noise, scale: 1, shift: 0, tolerance: 0, gates: GATES, seed });
      console.info(describeOutcome(`sequential, ${noise}, change = tolerance`, outcome));
      expect(rate(outcome.fail, outcome)).toBeLessThanOrEqual(oneSided);
      expect(rate(outcome.missed, outcome)).toBeLessThanOrEqual(twoSided);
    });
  }

  it('keeps each check’s false alarms ≤ 2.5 % when the gate stops on the other checks’ data too (3 checks)', () => {
    const gates = GATES / 2;
    const outcome = simulateGates({ procedure: sequential, noise: 'cauchy', scale: 1, shift: 0, tolerance: 0, gates, seed: 4, checks: 3 });
    console.info(describeOutcome('sequential, 3 checks, cauchy', outcome, 3));
    expect(rate(outcome.fail, outcome, 3)).toBeLessThanOrEqual(withTolerance(0.025, 3 * gates));
    expect(rate(outcome.missed, outcome, 3)).toBeLessThanOrEqual(withTolerance(0.05, 3 * gates));
  });

  it('the naive gate (a fixed 95 % interval after every round, stop when decided) inflates them: > 5 % one-sided, > 10 % two-sided', () => {
    const outcome = simulateGates({ procedure: naive, noise: 'normal', scale: 1, shift: 0, tolerance: 0, gates: GATES, seed: 1 });
    console.info(describeOutcome('naive, normal, change = tolerance', outcome));
    expect(rate(outcome.fail, outcome)).toBeGreaterThan(0.05);
    expect(rate(outcome.missed, outcome)).toBeGreaterThan(0.1);
  });

  it('a fixed 6-round gate stays within 1/64 per side (the reference the first look reproduces)', () => {
    const outcome = simulateGates({ procedure: fixed6, noise: 'normal', scale: 1, shift: 0, tolerance: 0, gates: GATES, seed: 1 });
    expect(rate(outcome.fail, outcome)).toBeLessThanOrEqual(withTolerance(1 / 64, GATES));
  });
});

describe('sequential gate on an A/A comparison with a tolerance (what the issue measured: 30 % inconclusive at 6 rounds)', () => {
  // Tolerance 1.57 σ: P(one round's difference ≤ tolerance) = 0.942, so a fixed 6-round [min, max]
  // passes 0.942^6 ≈ 70 % of the time and is inconclusive otherwise.
  const setup = { noise: 'normal' as const, scale: 1, shift: 0, tolerance: 1.57, gates: GATES, seed: 5 };

  it('decides almost every A/A check, never failing one, in a few more rounds than 6', () => {
    const fixed = simulateGates({ ...setup, procedure: fixed6 });
    const adaptive = simulateGates({ ...setup, procedure: sequential });
    console.info(describeOutcome('fixed 6, A/A', fixed));
    console.info(describeOutcome('sequential 6…30, A/A', adaptive));
    expect(rate(fixed.inconclusive, fixed)).toBeGreaterThan(0.25);
    expect(rate(adaptive.inconclusive, adaptive)).toBeLessThan(0.01);
    expect(adaptive.fail).toBe(0);
    expect(adaptive.meanRounds).toBeLessThan(10);
  });
});

describe('sequential gate with a known regression: power and rounds used', () => {
  for (const [noise, extra, seed] of [['normal', 1.5, 6], ['normal', 3, 7], ['cauchy', 3, 8]] as [NoiseName, number, number][]) {
    it(`catches a change of tolerance + ${extra} (${noise} noise) more often than a fixed 6-round gate`, () => {
      const setup = { noise, scale: 1, shift: 1.57 + extra, tolerance: 1.57, gates: GATES, seed };
      const fixed = simulateGates({ ...setup, procedure: fixed6 });
      const adaptive = simulateGates({ ...setup, procedure: sequential });
      console.info(describeOutcome(`fixed 6, shift tolerance + ${extra}, ${noise}`, fixed));
      console.info(describeOutcome(`sequential 6…30, shift tolerance + ${extra}, ${noise}`, adaptive));
      expect(adaptive.fail).toBeGreaterThanOrEqual(fixed.fail);
      expect(rate(adaptive.fail, adaptive)).toBeGreaterThan(0.9);
      expect(adaptive.pass).toBe(0);
    });
  }
});
