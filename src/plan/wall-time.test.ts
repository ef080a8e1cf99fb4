import { describe, expect, it } from 'vitest';
import { isBenchError } from '../errors.js';
import { parseScenario } from '../scenario/index.js';
import { describeWallTimePlan, formatDuration, laterPodSets, planWallTime, refuseOverCap } from './wall-time.js';

const scenario = (load: string, extra = '') =>
  parseScenario(`name: plan\ntopologies: [app-only, sidecar-inbound, sidecar]\nload:\n${load}\n${extra}`, 'plan.yaml');

describe('planWallTime', () => {
  it('adds rounds × arms × (warm-up + duration + overhead) and the start-up', () => {
    const s = scenario('  connections: 16\n  warmup: 1s\n  duration: 5s', 'trials: 6');
    const plan = planWallTime({ rounds: s.trials, arms: s.topologies.length, load: s.load });
    // 6 × 3 × (1 + 5 + 0.5) s = 117 s; start-up 5 s + 3 × 3 s = 14 s.
    expect(plan.trialUs).toBe(6_500_000);
    expect(plan.terms.map((term) => [term.label, term.us])).toEqual([
      ['trials', 117_000_000],
      ['start-up', 14_000_000],
    ]);
    expect(plan.totalUs).toBe(131_000_000);
    expect(describeWallTimePlan(plan)).toBe(
      'planned wall time: 6 rounds × 3 topologies × (1 s warm-up + 5 s measured + 500 ms per-trial overhead) + start-up (5 s + 3 × 3 s pods) = 2 min 11 s (image builds, when needed, come on top)',
    );
  });

  it('counts the saturation burst with its own warm-up, and warm-up rounds', () => {
    const s = scenario('  model: open\n  rate: 1000/s\n  warmup: 1s\n  duration: 5s\n  saturation: { connections: 32, duration: 3s }', 'trials: 6');
    const plan = planWallTime({ rounds: s.trials, warmupRounds: 1, arms: 4, load: s.load });
    // (1 + 6) × 4 × (1 + 5 + 0.5 + 3 + 0.5) s = 280 s; start-up 5 + 4 × 3 = 17 s.
    expect(plan.trialUs).toBe(10_000_000);
    expect(plan.totalUs).toBe(297_000_000);
    expect(plan.terms[0]?.formula).toBe('(1 warm-up + 6) rounds × 4 topologies × (1 s warm-up + 5 s measured + 3.5 s saturation burst + 500 ms per-trial overhead)');
  });
});

describe('planWallTime with fresh pods', () => {
  it('adds, per later pod set, every arm\'s start-up and one discarded trial', () => {
    // 10 rounds, fresh every 4: sets start before rounds 5 and 9 → 2 later sets; 7 rounds → 1; 4 rounds → 0.
    expect([laterPodSets(10, 4), laterPodSets(7, 4), laterPodSets(4, 4), laterPodSets(9, 4), laterPodSets(10, undefined)]).toEqual([2, 1, 0, 2, 0]);
    const plan = planWallTime({ rounds: 10, arms: 3, load: { warmupUs: 1e6, durationUs: 5e6 }, freshPodsEvery: 4 });
    // 2 × 3 × (3 s + 6.5 s) = 57 s on top of 10 × 3 × 6.5 s + 14 s.
    expect(plan.terms.map((term) => [term.label, term.us])).toEqual([
      ['trials', 195_000_000],
      ['start-up', 14_000_000],
      ['fresh pods', 57_000_000],
    ]);
    expect(plan.terms[2]?.formula).toBe('2 × 3 topologies × (3 s pods + 1 discarded trial)');
  });
});

describe('refuseOverCap', () => {
  it('lets a plan within the cap through', () => {
    const plan = planWallTime({ rounds: 6, arms: 3, load: { warmupUs: 1e6, durationUs: 5e6 } });
    expect(() => refuseOverCap(plan, 2 * 3_600_000_000, { scenarioFile: 'q.yaml', flag: '--max-duration' })).not.toThrow();
  });

  it('refuses a plan over the cap with the arithmetic and the flag to raise it', () => {
    // 10 trials × 4 topologies × (2 s + 50 min + 0.5 s) ≈ 33 h 22 min
    const plan = planWallTime({ rounds: 10, arms: 4, load: { warmupUs: 2e6, durationUs: 50 * 60e6 } });
    let thrown: unknown;
    try {
      refuseOverCap(plan, 2 * 3_600_000_000, { scenarioFile: 'typo.yaml', flag: '--max-duration' });
    } catch (error) {
      thrown = error;
    }
    expect(isBenchError(thrown) && thrown.code).toBe('SB_SCENARIO_INVALID');
    const error = thrown as Error & { details: string[]; hint: string };
    expect(error.message).toBe('typo.yaml: the run would take 33 h 21 min, over the 2 h cap; nothing was started.');
    expect(error.details).toEqual([
      'trials: 10 rounds × 4 topologies × (2 s warm-up + 50 min measured + 500 ms per-trial overhead) = 33 h 21 min',
      'start-up: 5 s + 4 × 3 s pods = 17 s',
      'total: 33 h 21 min > 2 h',
    ]);
    expect(error.hint).toContain('--max-duration 34h');
  });
});

describe('formatDuration', () => {
  it('picks the unit a person reads', () => {
    expect([500_000, 6e6, 3.5e6, 131e6, 120e6, 7200e6, 7260e6].map(formatDuration)).toEqual(['500 ms', '6 s', '3.5 s', '2 min 11 s', '2 min', '2 h', '2 h 1 min']);
  });
});
