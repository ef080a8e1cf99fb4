import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/index.js';
import { resultsSchema, type OkTrial } from '../results/schema.js';
import { makeFixture } from './fixtures.js';

const okTrials = (trials: readonly { state: string }[]) => trials.filter((trial): trial is OkTrial => trial.state === 'ok');

describe('report fixtures', () => {
  const closed = makeFixture();
  const open = makeFixture({ openModel: true });
  const calibration = makeFixture({ calibration: true });

  it('are valid results.json files whose summary is the analysis stage\'s', () => {
    for (const { results, summary } of [closed, open, calibration]) {
      expect(() => resultsSchema.parse(results)).not.toThrow();
      expect(summary).toEqual(summarizeResults(results));
      expect(results.summary).toBe(summary);
    }
  });

  it('are deterministic', () => {
    expect(makeFixture().summary).toEqual(closed.summary);
  });

  it('have enough trials per topology for a 95 % interval', () => {
    for (const { summary } of [closed, open]) {
      for (const topology of summary.topologies) {
        expect(topology.okTrials).toBe(6);
        expect(topology.latencyOverTrials.p50Us.coverage).toBeGreaterThanOrEqual(0.95);
      }
    }
    for (const topology of calibration.summary.topologies) expect(topology.okTrials).toBe(8);
    const failed = makeFixture({ withFailedTrial: true }).summary.topologies.find((t) => t.topology === 'sidecar')!;
    expect([failed.okTrials, failed.failedTrials, failed.latencyOverTrials.p50Us.coverage]).toEqual([5, 1, 0.9375]);
  });

  it('carry open-model stats and the two extra histograms under the open model, with one topology behind its rate', () => {
    for (const trial of okTrials(open.results.trials)) {
      expect(trial.load.open?.targetRps).toBe(4_000);
      expect(trial.load.histograms.uncorrectedLatencyUs).toBeTypeOf('string');
      expect(trial.load.histograms.sendLagUs).toBeTypeOf('string');
    }
    for (const trial of okTrials(closed.results.trials)) expect([trial.load.open, trial.load.histograms.sendLagUs]).toEqual([undefined, undefined]);
    const sustained = Object.fromEntries(open.summary.topologies.map((t) => [t.topology, t.open?.sustained]));
    expect(sustained).toEqual({ 'app-only': true, 'sidecar-inbound': true, sidecar: false });
  });

  it('plan a calibration with a reference, an A/A arm and three delays, each shifting the percentiles by about D', () => {
    expect(calibration.results.baseline).toBe('calibration-d0');
    expect(calibration.results.calibration).toEqual({
      referenceArm: 'calibration-d0',
      aaArm: 'calibration-aa',
      delayedArms: [
        { arm: 'calibration-d500us', delayUs: 500 },
        { arm: 'calibration-d1ms', delayUs: 1_000 },
        { arm: 'calibration-d5ms', delayUs: 5_000 },
      ],
    });
    const latency = (arm: string) => calibration.summary.topologies.find((t) => t.topology === arm)!.latency;
    for (const { arm, delayUs } of calibration.results.calibration!.delayedArms) {
      expect(Math.abs(latency(arm).p50Us - latency('calibration-d0').p50Us - delayUs)).toBeLessThan(30);
      expect(Math.abs(latency(arm).p99Us - latency('calibration-d0').p99Us - delayUs)).toBeLessThan(0.1 * delayUs);
    }
    expect([calibration.summary.calibration?.pass, calibration.summary.calibration?.aaPass]).toEqual([true, true]);
  });
});
