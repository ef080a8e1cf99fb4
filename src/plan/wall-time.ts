/**
 * How long a run will take, said before anything starts, and the cap that refuses absurd plans
 * (a typo like `duration: 50m` with 10 trials and 4 topologies would hold a CI runner for 33 h).
 *
 * The estimate is arithmetic over the scenario, plus start-up costs measured on the 2-core
 * machine this was built on (quickstart: 18 trials of 6 s = 108 s of load, 2 min 4 s wall). Image
 * builds are not included: they happen once per image content (see `sidecar-bench images`).
 */
import { BenchError } from '../errors.js';

/** Once per run: engine connection, the 2 s stall probe, results and report writing. */
export const RUN_STARTUP_US = 5_000_000;
/** Per arm: starting its two pods (pause, init, app, sidecars, loadgen) and the path probe. */
export const ARM_STARTUP_US = 3_000_000;
/** Per trial: `docker exec` of the load agent (~0.2 s to start), sampler start/stop, counters. */
export const TRIAL_OVERHEAD_US = 500_000;
/** The saturation burst's own warm-up (src/runner/trial-extras.ts measureSaturation). */
export const SATURATION_WARMUP_US = 500_000;
/** Default cap on the planned wall time: 2 h. */
export const DEFAULT_MAX_DURATION_US = 2 * 3_600_000_000;

/** What the estimate is computed from (all durations in µs). */
export interface WallTimeInput {
  /**
   * Measured rounds; each round runs every arm once. A run that decides adaptively how many
   * rounds it needs passes its maximum here: the cap must hold for the longest run it may make.
   */
  rounds: number;
  /** Unmeasured rounds run first (every arm once each), discarded; default 0. */
  warmupRounds?: number;
  /** Arms per round (topologies, or topologies × sides in a paired run, or calibration arms). */
  arms: number;
  /** What the arms are called in the printed arithmetic, e.g. "topologies". */
  armsLabel?: string;
  load: { warmupUs: number; durationUs: number; saturation?: { durationUs: number }; closedCheck?: { durationUs: number } };
  /** Fresh pods every this many measured rounds: each later set starts every arm's pods again and runs one discarded round. */
  freshPodsEvery?: number;
}

/** How many sets of pods after the first a run of `rounds` starts with fresh pods every `every` rounds. */
export function laterPodSets(rounds: number, every: number | undefined): number {
  return every ? Math.max(0, Math.floor((rounds - 1) / every)) : 0;
}

/** One term of the arithmetic, e.g. { label: 'start-up', us: 14e6, formula: '5 s + 3 × 3 s' }. */
export interface WallTimeTerm {
  label: string;
  us: number;
  formula: string;
}

export interface WallTimePlan {
  totalUs: number;
  /** One trial: warm-up + duration (+ saturation burst) + per-trial overhead. */
  trialUs: number;
  /** The terms that add up to totalUs, in the order they are printed. */
  terms: WallTimeTerm[];
}

/** The planned wall time of a run: (warm-up rounds + rounds) × arms × trial + start-up. */
export function planWallTime(input: WallTimeInput): WallTimePlan {
  const warmupRounds = input.warmupRounds ?? 0;
  const armsLabel = input.armsLabel ?? (input.arms === 1 ? 'topology' : 'topologies');
  const { warmupUs, durationUs, saturation } = input.load;
  const saturationUs = saturation ? SATURATION_WARMUP_US + saturation.durationUs : 0;
  const closedCheckUs = input.load.closedCheck ? SATURATION_WARMUP_US + input.load.closedCheck.durationUs + TRIAL_OVERHEAD_US : 0;
  const trialUs = warmupUs + durationUs + saturationUs + closedCheckUs + TRIAL_OVERHEAD_US;
  const trialParts = [`${formatDuration(warmupUs)} warm-up`, `${formatDuration(durationUs)} measured`];
  if (saturation) trialParts.push(`${formatDuration(saturationUs)} saturation burst`);
  if (closedCheckUs > 0) trialParts.push(`${formatDuration(closedCheckUs)} closed-loop check`);
  trialParts.push(`${formatDuration(TRIAL_OVERHEAD_US)} per-trial overhead`);
  const roundsText = warmupRounds > 0 ? `(${warmupRounds} warm-up + ${input.rounds}) rounds` : `${input.rounds} round${input.rounds === 1 ? '' : 's'}`;
  const trials = (warmupRounds + input.rounds) * input.arms;
  const startupUs = RUN_STARTUP_US + input.arms * ARM_STARTUP_US;
  const terms: WallTimeTerm[] = [
    { label: 'trials', us: trials * trialUs, formula: `${roundsText} × ${input.arms} ${armsLabel} × (${trialParts.join(' + ')})` },
    { label: 'start-up', us: startupUs, formula: `${formatDuration(RUN_STARTUP_US)} + ${input.arms} × ${formatDuration(ARM_STARTUP_US)} pods` },
  ];
  const sets = laterPodSets(input.rounds, input.freshPodsEvery);
  if (sets > 0) {
    terms.push({
      label: 'fresh pods',
      us: sets * input.arms * (ARM_STARTUP_US + trialUs),
      formula: `${sets} × ${input.arms} ${armsLabel} × (${formatDuration(ARM_STARTUP_US)} pods + 1 discarded trial)`,
    });
  }
  return { totalUs: terms.reduce((sum, term) => sum + term.us, 0), trialUs, terms };
}

/** "planned wall time: 6 rounds × 3 topologies × (…) + start-up (…) = 2 min 11 s (images not counted)". */
export function describeWallTimePlan(plan: WallTimePlan): string {
  const sum = plan.terms.map((term, index) => (index === 0 ? term.formula : `${term.label} (${term.formula})`)).join(' + ');
  return `planned wall time: ${sum} = ${formatDuration(plan.totalUs)} (image builds, when needed, come on top)`;
}

/**
 * Refuses a plan over the cap, with the arithmetic shown, so nothing starts. `flag` names where the
 * cap came from, for the hint. Throws SB_SCENARIO_INVALID (exit 2).
 */
export function refuseOverCap(plan: WallTimePlan, maxUs: number, source: { scenarioFile: string; flag: string }): void {
  if (plan.totalUs <= maxUs) return;
  throw new BenchError(
    'SB_SCENARIO_INVALID',
    `${source.scenarioFile}: the run would take ${formatDuration(plan.totalUs)}, over the ${formatDuration(maxUs)} cap; nothing was started.`,
    [...plan.terms.map((term) => `${term.label}: ${term.formula} = ${formatDuration(term.us)}`), `total: ${formatDuration(plan.totalUs)} > ${formatDuration(maxUs)}`],
    `Shorten load.duration/warmup, fewer trials or topologies; or raise the cap with ${source.flag} (e.g. ${source.flag} ${formatDuration(Math.ceil(plan.totalUs / 3_600_000_000) * 3_600_000_000).replace(/ /g, '')}).`,
  );
}

/** A duration for people: "500 ms", "6 s", "2 min 11 s", "3 h 20 min". */
export function formatDuration(us: number): string {
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  const totalS = Math.round(us / 1_000_000);
  if (us < 60_000_000) return Number.isInteger(us / 1_000_000) ? `${us / 1_000_000} s` : `${(us / 1_000_000).toFixed(1)} s`;
  const hours = Math.floor(totalS / 3600);
  const minutes = Math.floor((totalS % 3600) / 60);
  const seconds = totalS % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
