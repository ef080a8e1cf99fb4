import { describe, expect, it } from 'vitest';
import { AdaptiveRounds, type GateCounts } from './adaptive-rounds.js';

const spec = { min: 6, max: 30 };
const counts = (fail: number, inconclusive: number): GateCounts => ({ fail, inconclusive });

describe('AdaptiveRounds (when an adaptive run adds a round, and why it stops)', () => {
  it('adds rounds while a check is inconclusive, and stops once every check has decided', () => {
    const answers = [counts(0, 2), counts(0, 1), counts(0, 0)];
    const rounds = new AdaptiveRounds(spec, () => answers.shift());
    const told: string[] = [];
    rounds.onMore = (why) => told.push(why);
    expect(rounds.another(6)).toBe(true);
    expect(rounds.another(7)).toBe(true);
    expect(rounds.another(8)).toBe(false);
    expect(told).toEqual(['2 gate checks still inconclusive after 6 rounds: adding round 7', '1 gate check still inconclusive after 7 rounds: adding round 8']);
    expect(rounds.record(8)).toEqual({ min: 6, max: 30, used: 8, stop: 'decided', detail: 'every check decided after 8 rounds' });
  });

  it('stops at the first failed check: the gate fails whatever the others say', () => {
    const rounds = new AdaptiveRounds(spec, () => counts(1, 3));
    expect(rounds.another(6)).toBe(false);
    expect(rounds.record(6)).toMatchObject({ stop: 'decided', detail: 'a check failed after 6 rounds, so the gate fails whatever the others say; 3 checks still inconclusive' });
  });

  it('stops when a trial has failed: the run cannot pass its gate', () => {
    const rounds = new AdaptiveRounds(spec, () => ({ fail: 0, inconclusive: 2, runErrors: 1 }));
    expect(rounds.another(6)).toBe(false);
    expect(rounds.record(6)).toMatchObject({ stop: 'decided', detail: 'a trial failed after 6 rounds, so the run cannot pass its gate' });
  });

  it('stops at the maximum with what is still inconclusive', () => {
    const rounds = new AdaptiveRounds(spec, () => counts(0, 1));
    expect(rounds.another(29)).toBe(true);
    expect(rounds.another(30)).toBe(false);
    expect(rounds.record(30)).toMatchObject({ stop: 'max-rounds', detail: 'the maximum of 30 rounds was spent; 1 check still inconclusive' });
  });

  it('does not start a round that would end past the time budget, judged by the mean round so far', () => {
    let nowMs = 0;
    const rounds = new AdaptiveRounds({ ...spec, budgetUs: 600_000_000 }, () => counts(0, 2), () => nowMs);
    rounds.start();
    nowMs = 6 * 60_000; // 6 rounds of 1 min: a 7th ends at 7 min, within 10.
    expect(rounds.another(6)).toBe(true);
    nowMs = 9 * 60_000 + 30_000; // 9 rounds in 9.5 min: a 10th would end at ~10.6 min.
    expect(rounds.another(9)).toBe(false);
    expect(rounds.record(9)).toEqual({
      min: 6,
      max: 30,
      budgetUs: 600_000_000,
      used: 9,
      stop: 'time-budget',
      detail: 'another round would end past the time budget of 10.0 min (9 rounds took 9.5 min); 2 checks still inconclusive',
    });
  });

  it('stops at the minimum when there is nothing to gate, and says when a run was cut short', () => {
    const nothing = new AdaptiveRounds(spec, () => undefined);
    expect(nothing.another(6)).toBe(false);
    expect(nothing.record(6)).toMatchObject({ stop: 'decided', detail: 'no gate checks to decide; stopped after 6 rounds, the minimum' });
    expect(new AdaptiveRounds(spec, () => counts(0, 1)).record(3)).toMatchObject({ stop: 'cut-short', used: 3 });
  });
});
