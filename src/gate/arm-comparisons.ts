import { pairedDifferences } from '../analysis/statistics.js';
import type { ResultsSummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import type { GateSelector, GatesSpec, RegressionGate, ThresholdGate } from '../scenario/scenario.js';
import { judgeRegression, judgeThreshold, notEvaluated, regressionName, thresholdName, type GateCheck } from './evaluate.js';
import { fixedIntervals, inRoundOrder, sortedByRound, type IntervalRule } from './intervals.js';
import { measureMetric, selectedArms, type RoundValues } from './metric-values.js';

/**
 * Whether a gate entry judges one arm against another arm of the same run (`vs: <arm>`). For
 * throughput-drop, `vs` is instead the reference the drop is measured against (one arm's value).
 */
export function comparesArms<T extends GateSelector>(gate: T): gate is T & { vs: string } {
  return gate.vs !== undefined && gate.metric !== 'throughput-drop';
}

interface RunView {
  results: Results;
  summary: ResultsSummary;
  gates: GatesSpec;
}

type Paired = { own: RoundValues; other: RoundValues; differences: number[] } | { unmeasured: string };

/** Both arms' values by round, and their per-round differences (arm − vs): rounds where both have a value. */
function pairByRound(gate: GateSelector & { vs: string }, view: RunView, arm: string): Paired {
  const own = measureMetric(gate, view.results, view.summary, arm);
  if (!(own instanceof Map)) return own;
  const other = measureMetric(gate, view.results, view.summary, gate.vs);
  if (!(other instanceof Map)) return { unmeasured: `it is compared with ${gate.vs}, and ${other.unmeasured}` };
  // In round order: the sequential rule (gates.rounds) reads its looks in that order.
  const differences = pairedDifferences(sortedByRound(own), other);
  if (differences.length === 0) return { unmeasured: `no round has a value of both ${arm} and ${gate.vs}` };
  return { own, other, differences };
}

/** The arms a vs-gate judges: the one it names, or with "*" every arm it can apply to except the one it compares with. */
function armsOf(gate: GateSelector & { vs: string }, view: RunView): string[] {
  return selectedArms(gate, view.results, view.summary).filter((arm) => arm !== gate.vs);
}

/**
 * Thresholds on the per-round difference between two arms of one run, e.g. `{ topology: envoy-new,
 * vs: envoy-old, metric: latency, statistic: p99, max: 200us }`: the median of (new − old) over
 * rounds, with its interval, must stay within the limit. Both arms ran in every round on the same
 * machine, so drift cancels.
 */
export function armThresholds(gates: readonly ThresholdGate[], view: RunView, rule: IntervalRule = fixedIntervals(view.gates.confidence)): GateCheck[] {
  return gates.filter(comparesArms).flatMap((gate) =>
    armsOf(gate, view).map((arm) => {
      const paired = pairByRound(gate, view, arm);
      if ('unmeasured' in paired) return notEvaluated('threshold', gate, thresholdName(gate, arm), arm, paired.unmeasured);
      const check = judgeThreshold(gate, arm, paired.differences, rule);
      return { ...check, reason: `per-round difference ${arm} − ${gate.vs} over ${paired.differences.length} rounds: ${check.reason}` };
    }),
  );
}

/** "envoy-new: latency p50 no worse than envoy-old + 10 % (at least 50 µs)". */
function armRegressionName(gate: RegressionGate & { vs: string }, arm: string): string {
  const { vs, ...rest } = gate;
  return regressionName(rest, arm).replace(' no worse than baseline ', ` no worse than ${vs} `);
}

/**
 * Regressions of one arm against another arm of the same run (`vs: <arm>`): the change is the
 * median of the per-round differences, judged against the tolerance (a share of the vs arm's median,
 * never below the floor). This is how an upgrade is gated in one run: the new version against the
 * old, round by round, each against the same app-only.
 */
export function armRegressions(gates: readonly RegressionGate[], view: RunView, rule: IntervalRule = fixedIntervals(view.gates.confidence)): GateCheck[] {
  return gates.filter(comparesArms).flatMap((gate) =>
    armsOf(gate, view).map((arm) => {
      const name = armRegressionName(gate, arm);
      const paired = pairByRound(gate, view, arm);
      if ('unmeasured' in paired) return notEvaluated('regression', gate, name, arm, paired.unmeasured);
      const change = rule.median(paired.differences);
      const check = judgeRegression(gate, arm, inRoundOrder(paired.own), inRoundOrder(paired.other), rule, change);
      return { ...check, name: check.name.replace(/ no worse than baseline /, ` no worse than ${gate.vs} `), reason: `against ${gate.vs}, paired by round: ${check.reason}` };
    }),
  );
}
