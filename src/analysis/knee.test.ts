import { describe, expect, it } from 'vitest';
import { findKnee, judgeStep, pastTheSlo, type Slo, type StepTrial } from './knee.js';

const slo: Slo = { p99Us: 10_000, maxErrorRate: 0.001 };

/** Six trials at one rate whose P99s are `p99Us`, all sustained, no errors. */
const trials = (rate: number, p99Us: number[], extra: Partial<StepTrial> = {}): StepTrial[] => p99Us.map((p99) => ({ achievedRps: rate, p99Us: p99, errorRate: 0, sustained: true, ...extra }));

/** A synthetic latency curve: flat until `kneeRps`, then P99 grows steeply (queueing). */
function curve(rates: number[], kneeRps: number, spreadUs = 200) {
  return rates.map((rate) => {
    const p99 = rate <= kneeRps ? 2_000 : 2_000 + (rate - kneeRps) * 20;
    return judgeStep(rate, trials(rate, [-2, -1, 0, 0, 1, 2].map((offset) => p99 + offset * spreadUs)), slo);
  });
}

describe('judgeStep', () => {
  it('meets, clearly, when every trial is well inside the SLO', () => {
    const step = judgeStep(1000, trials(1000, [2000, 2100, 2200, 2300, 2400, 2500]), slo);
    expect(step).toMatchObject({ meets: true, clearlyMeets: true, clearlyFails: false, trials: 6, sustainedTrials: 6 });
    expect(step.p99Us.median).toBe(2250);
    expect(step.coverage).toBeCloseTo(1 - 2 * (1 - 0.96875), 12);
  });

  it('counts a trial that did not sustain its rate as past the SLO, however fast its answers', () => {
    const step = judgeStep(9000, trials(6000, [500, 500, 500, 500, 500, 500], { sustained: false }), slo);
    expect(step).toMatchObject({ meets: false, clearlyFails: true, sustainedTrials: 0 });
    expect(step.p99Us.median).toBe(500);
  });

  it('fails on the error rate alone', () => {
    const step = judgeStep(1000, trials(1000, [2000, 2000, 2000, 2000, 2000, 2000], { errorRate: 0.01 }), slo);
    expect(step).toMatchObject({ meets: false, clearlyFails: true });
  });

  it('is neither clear pass nor clear fail when the interval straddles the limit', () => {
    const step = judgeStep(1000, trials(1000, [8000, 9000, 10_100, 10_500, 11_000, 12_000]), slo);
    expect(step).toMatchObject({ meets: false, clearlyMeets: false, clearlyFails: false });
  });
});

describe('findKnee', () => {
  it('finds the knee of a synthetic curve with its bracket', () => {
    const knee = findKnee(curve([500, 1000, 2000, 3000, 4000, 6000], 2500));
    // P99 at 3000: 2000 + 500·20 = 12 000 > 10 000 with every trial above: clearly fails.
    expect(knee).toMatchObject({ status: 'found', rps: 2000, achievedRps: 2000, low: 2000, high: 3000 });
    expect(knee.coverage).toBeGreaterThan(0.9);
  });

  it('widens the bracket when the step after the knee is not clearly past the SLO', () => {
    // At 2900: 2000 + 400·20 = 10 000 median, interval [9600, 10 400]: misses on the median? no: 10 000 ≤ limit → meets.
    // At 2950: median 11 000, interval [10 600, 11 400]: clearly fails.
    const steps = curve([1000, 2000, 2900, 2950], 2500);
    const knee = findKnee(steps);
    expect(knee).toMatchObject({ status: 'found', rps: 2900, low: 2000, high: 2950 });
  });

  it('reports a knee above the highest rate swept when every step meets the SLO', () => {
    expect(findKnee(curve([500, 1000], 5000))).toMatchObject({ status: 'above-highest', rps: 1000, low: 1000 });
  });

  it('reports a knee below the lowest rate when the first step already misses', () => {
    const knee = findKnee(curve([5000, 6000], 1000));
    expect(knee.status).toBe('below-lowest');
    expect(knee.rps).toBeUndefined();
    expect(knee.high).toBe(5000);
  });

  it('takes the knee from the bottom: a noisy pass above a failure does not count', () => {
    const steps = [
      judgeStep(1000, trials(1000, [2000, 2000, 2000, 2000, 2000, 2000]), slo),
      judgeStep(2000, trials(2000, [20_000, 20_000, 20_000, 20_000, 20_000, 20_000]), slo),
      judgeStep(3000, trials(3000, [2000, 2000, 2000, 2000, 2000, 2000]), slo),
    ];
    expect(findKnee(steps)).toMatchObject({ rps: 1000, high: 2000 });
  });

  it('has no knee without steps', () => {
    expect(findKnee([])).toEqual({ status: 'no-steps', coverage: 0 });
  });
});

describe('pastTheSlo', () => {
  it('stops after a step that clearly fails, or after two misses in a row', () => {
    const steps = curve([1000, 2000, 3000], 2500);
    expect(pastTheSlo(steps.slice(0, 2))).toBe(false);
    expect(pastTheSlo(steps)).toBe(true);
    const straddling = judgeStep(1000, trials(1000, [8000, 9000, 10_100, 10_500, 11_000, 12_000]), slo);
    expect(straddling.meets).toBe(false);
    expect(pastTheSlo([straddling])).toBe(false);
    expect(pastTheSlo([straddling, straddling])).toBe(true);
  });
});
