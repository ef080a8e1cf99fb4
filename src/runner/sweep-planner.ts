/**
 * Which rate a topology's sweep offers next, from the judgements of its steps so far. One planner
 * per topology: each stops on its own once past its SLO (knee.ts pastTheSlo), so no minutes go to
 * measuring a collapse, while the others carry on.
 */
import { pastTheSlo, type StepJudgement } from '../analysis/knee.js';
import type { SweepSpec } from '../scenario/index.js';

export type SweepStop = 'past-slo' | 'rates-done' | 'max-steps' | 'resolution' | 'below-lowest' | 'upper-bound-met';

export interface SweepPlanner {
  /** The next offered rate (req/s), or undefined when this topology's sweep is over. */
  next(): number | undefined;
  /** The judgement of the step just run at the rate next() gave. */
  record(judgement: StepJudgement): void;
  /** Why the sweep ended (after next() returned undefined). */
  readonly stop: SweepStop | undefined;
}

/** A step's rate, rounded to something a reader can say (2–3 significant digits, whole req/s). */
export function roundRate(rps: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, rps))) - 1);
  return Math.max(1, Math.round(rps / magnitude) * magnitude);
}

export function createSweepPlanner(sweep: SweepSpec): SweepPlanner {
  return sweep.kind === 'rates' ? ratesPlanner(sweep.ratesPerSecond) : searchPlanner(sweep);
}

/** The listed rates in ascending order, until past the SLO. */
function ratesPlanner(rates: readonly number[]): SweepPlanner {
  const steps: StepJudgement[] = [];
  let stop: SweepStop | undefined;
  return {
    next() {
      if (stop) return undefined;
      if (pastTheSlo(steps)) stop = 'past-slo';
      else if (steps.length >= rates.length) stop = 'rates-done';
      return stop ? undefined : rates[steps.length];
    },
    record: (judgement) => void steps.push(judgement),
    get stop() {
      return stop;
    },
  };
}

/**
 * Adaptive search: from `fromRps`, grow by `factor` (capped at `toRps`) while the SLO is met; once
 * a rate misses it, bisect (geometric midpoint) between the highest rate met below it and it,
 * until the two are within `resolutionShare` of each other or `maxSteps` steps ran.
 */
function searchPlanner(search: Extract<SweepSpec, { kind: 'search' }>): SweepPlanner {
  const steps: StepJudgement[] = [];
  let stop: SweepStop | undefined;
  const decide = (): number | SweepStop => {
    if (steps.length === 0) return search.fromRps;
    if (steps.length >= search.maxSteps) return 'max-steps';
    const missed = steps.filter((step) => !step.meets).map((step) => step.targetRps);
    if (missed.length === 0) {
      const highest = Math.max(...steps.map((step) => step.targetRps));
      if (highest >= search.toRps) return 'upper-bound-met';
      return Math.min(search.toRps, roundRate(highest * search.factor));
    }
    const lowestMissed = Math.min(...missed);
    const met = steps.filter((step) => step.meets && step.targetRps < lowestMissed).map((step) => step.targetRps);
    if (met.length === 0) return 'below-lowest';
    const highestMet = Math.max(...met);
    if (lowestMissed / highestMet - 1 <= search.resolutionShare) return 'resolution';
    const next = roundRate(Math.sqrt(highestMet * lowestMissed));
    // Rounding can land on a rate already measured: the bracket is as narrow as rates are said.
    return next <= highestMet || next >= lowestMissed ? 'resolution' : next;
  };
  return {
    next() {
      if (stop) return undefined;
      const decision = decide();
      if (typeof decision === 'number') return decision;
      stop = decision;
      return undefined;
    },
    record: (judgement) => void steps.push(judgement),
    get stop() {
      return stop;
    },
  };
}

/** The stop reason in words, for the run log and the report. */
export function describeSweepStop(stop: SweepStop | undefined): string {
  switch (stop) {
    case 'past-slo':
      return 'stopped past the SLO (a step clearly missed it, or two in a row missed it)';
    case 'rates-done':
      return 'every listed rate measured';
    case 'max-steps':
      return 'the search used all its steps';
    case 'resolution':
      return 'the search narrowed the knee to its resolution';
    case 'below-lowest':
      return 'the lowest rate already missed the SLO';
    case 'upper-bound-met':
      return 'the SLO was met up to the search’s upper bound';
    default:
      return 'cut short';
  }
}
