/**
 * Seeded simulation of a regression gate on synthetic per-round differences: how often it cries
 * wolf, how often it catches a real shift, and how many rounds it takes. Pure: the same seed gives
 * the same counts on every machine (sequential-simulation.test.ts bounds them, with stated tolerances).
 */
import { sequentialLook, type SequentialDesign } from './sequential.js';
import { estimateMedian } from './statistics.js';
import { seededRandom } from '../workloads/seeded-random.js';

/** Noise with median 0, by name: a draw from it given a uniform source. */
export const NOISE = {
  /** Standard normal (Box–Muller). */
  normal: (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
  /** Standard Cauchy: no mean, no variance; what a per-round P99 difference with stalls can look like. */
  cauchy: (random: () => number) => Math.tan(Math.PI * (random() - 0.5)),
  /** Lognormal minus its median: skewed to the right, like latency. */
  lognormal: (random: () => number) => Math.exp(NOISE.normal(random)) - 1,
} as const;
export type NoiseName = keyof typeof NOISE;

type Verdict = 'fail' | 'pass' | 'inconclusive';

/** How the gate looks at the rounds. */
export type Procedure =
  /** The group-sequential design: looks at every round from min to max, stops when decided. */
  | { kind: 'sequential'; design: SequentialDesign }
  /** The naive baseline: a fixed-size interval at every round from min to max, stops when decided. */
  | { kind: 'naive'; minRounds: number; maxRounds: number; confidence: number }
  /** One look after a fixed number of rounds. */
  | { kind: 'fixed'; rounds: number; confidence: number };

export interface SimulationSetup {
  procedure: Procedure;
  noise: NoiseName;
  /** Noise scale (the difference in one round is shift + scale · noise). */
  scale: number;
  /** The true worsening (median of per-round differences). */
  shift: number;
  /** The check fails when the interval lies wholly above it, passes when wholly at or below. */
  tolerance: number;
  /** Simulated gates. */
  gates: number;
  /**
   * Independent checks per gate (default 1), each with this shift; the gate stops when every one
   * has decided at the same look, so each check's stopping time depends on the others' data too.
   */
  checks?: number;
  seed: number;
}

export interface SimulationOutcome {
  gates: number;
  /** Verdicts and misses count checks: gates × checks in all. */
  fail: number;
  pass: number;
  inconclusive: number;
  /** Gates whose interval at the stop excluded the true shift (either side). */
  missed: number;
  /** Mean rounds a gate used. */
  meanRounds: number;
}

function looks(procedure: Procedure): { first: number; last: number } {
  if (procedure.kind === 'fixed') return { first: procedure.rounds, last: procedure.rounds };
  if (procedure.kind === 'naive') return { first: procedure.minRounds, last: procedure.maxRounds };
  return { first: procedure.design.minRounds, last: procedure.design.maxRounds };
}

/** The interval of one look on its own. */
function lookInterval(procedure: Procedure, values: readonly number[]): Bounds {
  return procedure.kind === 'sequential' ? sequentialLook(values, procedure.design) : estimateMedian(values, procedure.confidence);
}

interface Bounds {
  low: number;
  high: number;
}

/** Runs `gates` independent simulated gates; counts the checks' verdicts and misses, and the rounds. */
export function simulateGates(setup: SimulationSetup): SimulationOutcome {
  const random = seededRandom(setup.seed);
  const draw = NOISE[setup.noise];
  const checks = setup.checks ?? 1;
  const { first, last } = looks(setup.procedure);
  const outcome = { gates: setup.gates, fail: 0, pass: 0, inconclusive: 0, missed: 0, meanRounds: 0 };
  let rounds = 0;
  for (let gate = 0; gate < setup.gates; gate++) {
    const values: number[][] = Array.from({ length: checks }, () => []);
    let verdicts: Verdict[] = new Array<Verdict>(checks).fill('inconclusive');
    let bounds: Bounds[] = Array.from({ length: checks }, () => ({ low: -Infinity, high: Infinity }));
    let n = 0;
    // Like the runner: after the minimum, one more round while any check is inconclusive.
    while (n < last && (n < first || verdicts.includes('inconclusive'))) {
      n++;
      for (const own of values) own.push(setup.shift + setup.scale * draw(random));
      if (n < first) continue;
      // Both judge each look's own interval: the naive gate a fixed-size one, the sequential gate the design's.
      bounds = values.map((own) => lookInterval(setup.procedure, own));
      verdicts = bounds.map(({ low, high }) => (low > setup.tolerance ? 'fail' : high <= setup.tolerance ? 'pass' : 'inconclusive'));
    }
    for (let check = 0; check < checks; check++) {
      outcome[verdicts[check] as Verdict]++;
      const { low, high } = bounds[check] as Bounds;
      if (low > setup.shift || high < setup.shift) outcome.missed++;
    }
    rounds += n;
  }
  outcome.meanRounds = rounds / setup.gates;
  return outcome;
}
