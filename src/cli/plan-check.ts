import { BenchError } from '../errors.js';
import { DEFAULT_MAX_DURATION_US, describeWallTimePlan, planWallTime, refuseOverCap, type WallTimePlan } from '../plan/index.js';
import type { Progress } from '../progress.js';
import { parseDurationUs, type Scenario, type SweepSpec } from '../scenario/index.js';

/** The most steps a sweep may take per arm. */
export function maxSweepSteps(sweep: SweepSpec): number {
  return sweep.kind === 'rates' ? sweep.ratesPerSecond.length : sweep.maxSteps;
}

/** `--max-duration`'s default, as written. */
export const DEFAULT_MAX_DURATION = '2h';

/** Reads `--max-duration` (a duration with a unit, e.g. "90m", "3h"); throws SB_SCENARIO_INVALID. */
export function parseMaxDuration(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_DURATION_US;
  const us = parseDurationUs(text);
  if (us === undefined || us <= 0) throw new BenchError('SB_SCENARIO_INVALID', `--max-duration: expected a positive duration with a unit, like 90m or 3h; got "${text}"`);
  return us;
}

/**
 * Plans the run's wall time, prints it, and refuses (throws, exit 2) a plan over the cap before
 * anything starts. `arms` is how many arms each round runs.
 */
export function planOrRefuse(scenario: Scenario, arms: { count: number; label?: string }, maxDurationText: string | undefined, progress: Progress): WallTimePlan {
  const maxUs = parseMaxDuration(maxDurationText);
  const plan = planWallTime({
    // Adaptive rounds, sweeps: the cap must hold for the longest run it may make (a sweep: every step it may take).
    rounds: scenario.sweep ? maxSweepSteps(scenario.sweep) * scenario.trials : (scenario.gates.rounds?.max ?? scenario.trials),
    warmupRounds: scenario.warmupRounds,
    arms: arms.count,
    ...(arms.label ? { armsLabel: arms.label } : {}),
    load: scenario.load,
    ...(scenario.freshPodsEvery ? { freshPodsEvery: scenario.freshPodsEvery } : {}),
  });
  refuseOverCap(plan, maxUs, { scenarioFile: scenario.sourceFile, flag: '--max-duration' });
  progress.info(describeWallTimePlan(plan));
  return plan;
}
