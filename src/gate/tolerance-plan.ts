/**
 * Which regression tolerances can this machine decide? From an A/A run (one configuration
 * interleaved with itself, `run X.yaml --interleave-with X.yaml`), the smallest tolerance per
 * metric that the sequential gate would decide, and pass, in most repeats of that run.
 *
 * Method: a bootstrap over the run's own rounds (Efron & Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 6). Each simulated gate draws whole rounds with replacement from the observed
 * per-round differences and looks at them with the same sequential design as `gates.rounds`
 * (sequential.ts), from `min` to `max` rounds: it passes once the interval's pessimistic bound is
 * within the tolerance, fails once its optimistic bound is beyond it, and is inconclusive if
 * neither happens by `max`. The differences are judged as observed and mirrored: an offset
 * between two identical pods (seen on real runs, fixed for a pod's life) can fall either way in
 * the next run, so a tolerance must absorb it in both directions. A bootstrap from n rounds cannot
 * see a tail its rounds never showed: read the answer as a floor, and re-plan from a longer A/A
 * run when the figure matters.
 */
import { sequentialDesign, sequentialLook, type SequentialDesign } from '../analysis/sequential.js';
import { median } from '../analysis/statistics.js';
import { seededRandom } from '../workloads/seeded-random.js';

/** Tolerances tried, as shares of the baseline's median (5 % … 100 %). */
export const TOLERANCE_SHARES = [0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1] as const;

/** Fewer A/A rounds than this and the bootstrap has too little to resample. */
export const MIN_PLAN_ROUNDS = 10;

export interface TolerancePlanOptions {
  minRounds: number;
  maxRounds: number;
  /** The gate's two-sided confidence, e.g. 0.95. */
  confidence: number;
  /** Share of simulated A/A gates that must decide and pass, e.g. 0.95. */
  power: number;
  /** Simulated gates per tolerance and direction. */
  simulations: number;
  seed: number;
}

export interface ToleranceOutcome {
  toleranceShare: number;
  /** The tolerance in the metric's base unit: max(share × |baseline median|, floor). */
  tolerance: number;
  /** Share of simulated A/A gates that passed, in the worse of the two directions. */
  passShare: number;
  /** Share that failed (false alarms), in the worse direction. */
  failShare: number;
  /** Mean rounds a simulated gate used (both directions). */
  meanRounds: number;
}

export interface MetricTolerancePlan {
  rounds: number;
  /** Median of the baseline side, base units. */
  baselineMedian: number;
  /** Median per-round difference (arm − baseline) as a share of the baseline's median: the pods' offset. */
  offsetShare: number;
  /** Interquartile range of the per-round differences as a share of the baseline's median: the round-to-round noise. */
  spreadShare: number;
  outcomes: ToleranceOutcome[];
  /** The smallest tried tolerance whose pass share reaches the power; undefined if none does. */
  recommended?: ToleranceOutcome;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

type GateEnd = { verdict: 'pass' | 'fail' | 'inconclusive'; rounds: number };

/** One simulated gate on worsening differences (positive = worse) drawn from `pool`. */
function simulateGate(pool: readonly number[], tolerance: number, design: SequentialDesign, random: () => number): GateEnd {
  const drawn: number[] = [];
  for (let n = 1; n <= design.maxRounds; n++) {
    drawn.push(pool[Math.floor(random() * pool.length)] as number);
    if (n < design.minRounds) continue;
    const look = sequentialLook(drawn, design);
    if (look.high <= tolerance) return { verdict: 'pass', rounds: n };
    if (look.low > tolerance) return { verdict: 'fail', rounds: n };
  }
  return { verdict: 'inconclusive', rounds: design.maxRounds };
}

/**
 * The tolerances an A/A run's per-round differences let the sequential gate decide.
 *
 * @param differences per-round arm − baseline differences of one metric, in round order (base units)
 * @param baselineMedian the baseline side's median (base units): tolerances are shares of it
 * @param floor the smallest tolerance the gate uses for this metric (base units), as in `floor:`
 * @param worse whether a higher or a lower value is the regression
 * @throws RangeError with fewer than MIN_PLAN_ROUNDS differences, or options outside the design's range
 */
export function planTolerance(
  differences: readonly number[],
  baselineMedian: number,
  floor: number,
  worse: 'higher' | 'lower',
  options: TolerancePlanOptions,
): MetricTolerancePlan {
  if (differences.length < MIN_PLAN_ROUNDS) throw new RangeError(`needs at least ${MIN_PLAN_ROUNDS} rounds with both sides measured, got ${differences.length}`);
  const design = sequentialDesign(options.minRounds, options.maxRounds, options.confidence);
  const sign = worse === 'higher' ? 1 : -1;
  const worsening = differences.map((difference) => sign * difference);
  const directions = [worsening, worsening.map((value) => -value)];
  const scale = Math.abs(baselineMedian) || 1;
  const sorted = [...differences].sort((a, b) => a - b);
  const outcomes = TOLERANCE_SHARES.map((toleranceShare) => {
    const tolerance = Math.max(toleranceShare * Math.abs(baselineMedian), floor);
    let passShare = 1;
    let failShare = 0;
    let rounds = 0;
    directions.forEach((pool, direction) => {
      // The same seed for every tolerance: the tolerances are compared on the same simulated runs.
      const random = seededRandom(options.seed + direction);
      let passes = 0;
      let fails = 0;
      for (let s = 0; s < options.simulations; s++) {
        const end = simulateGate(pool, tolerance, design, random);
        if (end.verdict === 'pass') passes++;
        if (end.verdict === 'fail') fails++;
        rounds += end.rounds;
      }
      passShare = Math.min(passShare, passes / options.simulations);
      failShare = Math.max(failShare, fails / options.simulations);
    });
    return { toleranceShare, tolerance, passShare, failShare, meanRounds: rounds / (2 * options.simulations) };
  });
  const recommended = outcomes.find((outcome) => outcome.passShare >= options.power);
  return {
    rounds: differences.length,
    baselineMedian,
    offsetShare: median(sorted) / scale,
    spreadShare: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / scale,
    outcomes,
    ...(recommended ? { recommended } : {}),
  };
}
