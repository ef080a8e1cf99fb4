import { estimateShift } from '../analysis/shift.js';
import { estimateMedian, pairedDifferences, type MedianEstimate } from '../analysis/statistics.js';
import type { ResultsSummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import { GATE_METRICS, type GateMetric } from '../scenario/gates-schema.js';
import type { GateSelector, GatesSpec, RegressionGate, ThresholdGate } from '../scenario/scenario.js';
import { DEFAULT_REGRESSIONS } from './default-regressions.js';
import { describeRegressionResolution, describeThresholdBlindSpot, describeThresholdResolution, regressionResolution, thresholdResolution, type Resolution } from './detectable.js';
import { formatMetricEstimate, formatMetricValue } from './format-value.js';
import { metricByRound, selectedArms } from './metric-values.js';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface GateCheck {
  kind: 'threshold' | 'regression';
  /** e.g. "sidecar: overhead p99 (differential) ≤ 2ms". */
  name: string;
  arm: string;
  metric: GateMetric;
  /** The candidate's median over trials with its confidence interval. */
  value: MedianEstimate;
  baseline?: MedianEstimate;
  /** Candidate − baseline (regressions). */
  change?: MedianEstimate;
  verdict: Verdict;
  /** One sentence: what was compared with what, and why this verdict. */
  reason: string;
  /** What this run's noise and rounds let the check resolve: the smallest regression it would have flagged (see detectable.ts). */
  resolution?: Resolution;
  /** The resolution in words for tables: "≥ +1.234 ms" (regression), "fails ≥ 2.3 ms, passes ≤ 1.7 ms" (threshold). */
  detectable?: string;
}

export interface GateResult {
  checks: GateCheck[];
  inconclusivePolicy: 'pass' | 'fail';
  /** Overall: fail if any check failed (or was inconclusive under the "fail" policy). */
  verdict: 'pass' | 'fail';
  counts: Record<Verdict, number>;
}

function label(selector: GateSelector): string {
  const statistic = selector.statistic ? ` ${selector.statistic}` : '';
  const estimator = selector.metric === 'overhead' ? ` (${selector.estimator})` : '';
  const role = selector.metric === 'ctx-switches-per-second-per-core' ? ` of ${selector.role}` : '';
  const vs = selector.vs ? ` vs ${selector.vs}` : '';
  return `${selector.metric}${statistic}${estimator}${role}${vs}`;
}


const coverageNote = (estimate: MedianEstimate, confidence: number) =>
  estimate.coverage < confidence ? ` (only ${(estimate.coverage * 100).toFixed(1)} % coverage with ${estimate.n} trials)` : '';

/** An absolute limit, judged by the confidence bound on the unsafe side. */
export function judgeThreshold(gate: ThresholdGate, arm: string, values: number[], confidence: number): GateCheck {
  const value = estimateMedian(values, confidence);
  const { metric } = gate;
  const limit = formatMetricValue(metric, gate.limit);
  const name = `${arm}: ${label(gate)} ${gate.bound === 'max' ? '≤' : '≥'} ${gate.limitText}`;
  const [safeBound, unsafeBound] = gate.bound === 'max' ? [value.high, value.low] : [value.low, value.high];
  const within = (x: number) => (gate.bound === 'max' ? x <= gate.limit : x >= gate.limit);
  const ci = `${formatMetricEstimate(metric, value)}${coverageNote(value, confidence)}`;
  let verdict: Verdict;
  let reason: string;
  if (within(safeBound)) {
    verdict = 'pass';
    reason = `the whole confidence interval ${ci} is within ${limit} (judged by its ${gate.bound === 'max' ? 'upper' : 'lower'} bound)`;
  } else if (!within(unsafeBound)) {
    verdict = 'fail';
    reason = `the whole confidence interval ${ci} is beyond ${limit}`;
  } else {
    verdict = 'inconclusive';
    reason = `the confidence interval ${ci} straddles ${limit}: this run is too noisy to judge it; add trials or lengthen them`;
  }
  const resolution = thresholdResolution(value, gate.limit, gate.bound);
  if (verdict === 'inconclusive') reason += `; this run could only have decided a median ${describeThresholdBlindSpot(metric, resolution)}`;
  return { kind: 'threshold', name, arm, metric, value, verdict, reason, resolution, detectable: describeThresholdResolution(metric, resolution, gate.bound) };
}

/**
 * How much worse the candidate may be: a share of the baseline median, never below the floor. The
 * change is the Hodges–Lehmann shift between two runs, or, for a paired run, the median of the
 * per-round differences (both sides measured in the same round).
 */
export function judgeRegression(gate: RegressionGate, arm: string, candidate: number[], baseline: number[], confidence: number, pairedChange?: MedianEstimate): GateCheck {
  const { metric } = gate;
  const value = estimateMedian(candidate, confidence);
  const baselineEstimate = estimateMedian(baseline, confidence);
  const change = pairedChange ?? estimateShift(candidate, baseline, confidence);
  const tolerance = Math.max(gate.toleranceShare * Math.abs(baselineEstimate.median), gate.floor);
  // Worsening is positive: higher latency, or lower throughput.
  const worse = GATE_METRICS[metric].worse === 'higher' ? 1 : -1;
  const [worseningLow, worseningHigh] = worse === 1 ? [change.low, change.high] : [-change.high, -change.low];
  const name = `${arm}: ${label(gate)} no worse than baseline + ${formatMetricValue(metric, tolerance)}`;
  const changeText = `change ${formatMetricEstimate(metric, change, true)}${coverageNote(change, confidence)}`;
  let verdict: Verdict;
  let reason: string;
  if (worseningLow > tolerance) {
    verdict = 'fail';
    reason = `regressed: ${changeText}; even its optimistic bound is worse than the tolerance ${formatMetricValue(metric, tolerance)}`;
  } else if (worseningHigh <= tolerance) {
    verdict = 'pass';
    reason = `${changeText}; even its pessimistic bound is within the tolerance ${formatMetricValue(metric, tolerance)}`;
  } else {
    verdict = 'inconclusive';
    reason = `${changeText} straddles the tolerance ${formatMetricValue(metric, tolerance)}: too noisy to judge; add trials or lengthen them`;
  }
  const resolution = regressionResolution(change, tolerance, GATE_METRICS[metric].worse);
  if (verdict === 'inconclusive') reason += `; this run could only have caught regressions ${describeRegressionResolution(metric, resolution)}`;
  return { kind: 'regression', name, arm, metric, value, baseline: baselineEstimate, change, verdict, reason, resolution, detectable: describeRegressionResolution(metric, resolution) };
}

function expand<T extends GateSelector>(gates: readonly T[], summary: ResultsSummary, results: Results): { gate: T; arm: string; values: number[]; byRound: Map<number, number> }[] {
  return gates.flatMap((gate) =>
    selectedArms(gate, summary, results.pairing?.suffix).flatMap((arm) => {
      const values = metricByRound(gate, results, summary, arm);
      return values ? [{ gate, arm, values: [...values.values()], byRound: values }] : [];
    }),
  );
}

/** A paired run: every candidate arm against its "-baseline" twin, round by round. */
function pairedRegressions(inputs: GateInputs): GateCheck[] {
  const { results, summary, gates } = inputs;
  const suffix = results.pairing?.suffix;
  if (!suffix) return [];
  return expand(gates.regressions ?? DEFAULT_REGRESSIONS, summary, results).flatMap(({ gate, arm, values, byRound }) => {
    const twin = metricByRound(gate, results, summary, `${arm}${suffix}`);
    if (!twin) return [];
    const change = estimateMedian(pairedDifferences(byRound, twin), gates.confidence);
    return [judgeRegression(gate, arm, values, [...twin.values()], gates.confidence, change)];
  });
}

export interface GateInputs {
  results: Results;
  summary: ResultsSummary;
  gates: GatesSpec;
  /** A baseline run: regressions are checked against it. */
  baseline?: { results: Results; summary: ResultsSummary };
  /** Overrides the scenario's policy (the --inconclusive flag). */
  inconclusivePolicy?: 'pass' | 'fail';
}

/** The reference topology's latency and throughput: what no sidecar change can move. */
const DRIFT_PROBES: RegressionGate[] = DEFAULT_REGRESSIONS.filter((gate) => (gate.metric === 'latency' && gate.statistic === 'p50') || gate.metric === 'rps');

/**
 * Whether the baseline topology (app-only) itself got worse between the two runs. If it did, the
 * machine changed under the runs (a noisy neighbour, throttling) or the change slows the bare app
 * too; either way a regression cannot be pinned on the candidate from these two runs.
 */
export function referenceDrift(inputs: GateInputs): string | undefined {
  const { results, summary, baseline, gates } = inputs;
  const reference = summary.baseline;
  if (!baseline || !reference || baseline.summary.baseline !== reference) return undefined;
  const moved = DRIFT_PROBES.flatMap((gate) => {
    const candidate = metricByRound(gate, results, summary, reference);
    const before = metricByRound(gate, baseline.results, baseline.summary, reference);
    if (!candidate || !before) return [];
    const check = judgeRegression(gate, reference, [...candidate.values()], [...before.values()], gates.confidence);
    return check.verdict === 'fail' ? [`${label(gate)} ${formatMetricEstimate(gate.metric, check.change as MedianEstimate, true)}`] : [];
  });
  if (moved.length === 0) return undefined;
  return `the reference topology ${reference} got worse too (${moved.join('; ')}): the machine changed between the runs, or the change slows the bare app as well (a kernel setting?); compare the two in one run to tell which`;
}

/** Every threshold of the scenario, and every regression when a baseline is given. */
export function evaluateGates(inputs: GateInputs): GateResult {
  const { results, summary, gates, baseline } = inputs;
  const checks: GateCheck[] = expand(gates.thresholds, summary, results).map(({ gate, arm, values }) => judgeThreshold(gate, arm, values, gates.confidence));
  if (!baseline) checks.push(...pairedRegressions(inputs));
  if (baseline) {
    const drift = referenceDrift(inputs);
    for (const { gate, arm, values } of expand(gates.regressions ?? DEFAULT_REGRESSIONS, summary, results)) {
      const baselineValues = metricByRound(gate, baseline.results, baseline.summary, arm);
      if (!baselineValues) continue;
      const check = judgeRegression(gate, arm, values, [...baselineValues.values()], gates.confidence);
      // A failure the reference topology shares is not the candidate's to own: noise guard.
      checks.push(drift && check.verdict === 'fail' ? { ...check, verdict: 'inconclusive', reason: `${check.reason}; but ${drift}` } : check);
    }
  }
  const policy = inputs.inconclusivePolicy ?? gates.inconclusive;
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0 };
  for (const check of checks) counts[check.verdict]++;
  const failed = counts.fail > 0 || (policy === 'fail' && counts.inconclusive > 0);
  return { checks, inconclusivePolicy: policy, verdict: failed ? 'fail' : 'pass', counts };
}
