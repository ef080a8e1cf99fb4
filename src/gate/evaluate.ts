import { pairedDifferences, trialsForConfidence, type MedianEstimate } from '../analysis/statistics.js';
import type { ResultsSummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import { GATE_METRICS, type GateMetric } from '../scenario/gates-schema.js';
import { REFERENCE_TOPOLOGY, whyGateCannotApply } from '../scenario/gate-applicability.js';
import type { GateSelector, GatesSpec, RegressionGate, ThresholdGate } from '../scenario/scenario.js';
import { armRegressions, armThresholds, comparesArms } from './arm-comparisons.js';
import { DEFAULT_REGRESSIONS } from './default-regressions.js';
import { describeRegressionResolution, describeThresholdBlindSpot, describeThresholdResolution, regressionResolution, thresholdResolution, type Resolution } from './detectable.js';
import { formatMetricEstimate, formatMetricValue } from './format-value.js';
import { fixedIntervals, inRoundOrder, intervalRule, sortedByRound, type IntervalRule } from './intervals.js';
import { armHasSidecar, measureMetric, metricByRound, selectedArms, type RoundValues } from './metric-values.js';
import { unkeptRateChecks, withLatencyValidity } from './latency-validity.js';
import { findingsOf, judgeFindings, type FindingCheck } from './finding-checks.js';

/**
 * A check's outcome. "not-evaluated": the run has no value to judge (no successful trial, no data
 * for the metric, no reference or baseline for it); it is never counted as a pass.
 */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'not-evaluated';

export interface GateCheck {
  kind: 'threshold' | 'regression';
  /** e.g. "sidecar: overhead p99 (differential) ≤ 2ms". */
  name: string;
  arm: string;
  metric: GateMetric;
  /** The candidate's median over trials with its confidence interval; absent when not evaluated. */
  value?: MedianEstimate;
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

/** Something that makes the run itself unfit to judge: it did not complete, or a trial failed. */
export interface RunError {
  /** What failed: "run", or "<arm> trial <n> (round <r>)". */
  subject: string;
  /** The arm, for a failed trial. */
  arm?: string;
  message: string;
}

export interface GateResult {
  checks: GateCheck[];
  /** gates.findings.failOn, each judged on the run's findings ([] when the scenario lists none); counted with the checks. */
  findingChecks?: FindingCheck[];
  inconclusivePolicy: 'pass' | 'fail';
  /** The run did not complete, or trials failed: the gate cannot pass whatever its checks say. */
  runErrors: RunError[];
  /** What differs between this run and the baseline it was judged against, one line each. */
  baselineDifferences?: readonly string[];
  /**
   * Overall. "error": the run is unfit to judge (see runErrors). "fail": a check failed or was not
   * evaluated, or was inconclusive under the "fail" policy. "pass" otherwise.
   */
  verdict: 'pass' | 'fail' | 'error';
  counts: Record<Verdict, number>;
}

function label(selector: GateSelector): string {
  const statistic = selector.statistic ? ` ${selector.statistic}` : '';
  const estimator = selector.metric === 'overhead' ? ` (${selector.estimator})` : '';
  const role = selector.metric === 'ctx-switches-per-second-per-core' ? ` of ${selector.role}` : '';
  const vs = selector.vs ? ` vs ${selector.vs}` : '';
  return `${selector.metric}${statistic}${estimator}${role}${vs}`;
}

const percent = (share: number) => `${Number((share * 100).toFixed(1))} %`;

const coverageNote = (estimate: MedianEstimate, confidence: number) =>
  estimate.coverage < confidence ? ` (only ${(estimate.coverage * 100).toFixed(1)} % coverage with ${estimate.n} trials)` : '';

/** Why an interval cannot decide: it covers less than the confidence asked for. Undefined when it can. */
function tooFewTrials(estimate: MedianEstimate, confidence: number, what: string): string | undefined {
  if (estimate.coverage >= confidence) return undefined;
  return `too few trials to decide: ${what} reaches only ${(estimate.coverage * 100).toFixed(1)} % coverage with ${estimate.n}, and a ${percent(confidence)} interval needs at least ${trialsForConfidence(confidence)} successful trials`;
}

export const thresholdName = (gate: ThresholdGate, arm: string): string => `${arm}: ${label(gate)} ${gate.bound === 'max' ? '≤' : '≥'} ${gate.limitText}`;

/** A confidence level (fixed-size intervals), or the rule of a run with adaptive rounds. */
const ruleOf = (intervals: number | IntervalRule): IntervalRule => (typeof intervals === 'number' ? fixedIntervals(intervals) : intervals);

/** An absolute limit, judged by the confidence bound on the unsafe side. `values` in round order. */
export function judgeThreshold(gate: ThresholdGate, arm: string, values: number[], intervals: number | IntervalRule): GateCheck {
  const { confidence, median } = ruleOf(intervals);
  const value = median(values);
  const { metric } = gate;
  const limit = formatMetricValue(metric, gate.limit);
  const name = thresholdName(gate, arm);
  const [safeBound, unsafeBound] = gate.bound === 'max' ? [value.high, value.low] : [value.low, value.high];
  const within = (x: number) => (gate.bound === 'max' ? x <= gate.limit : x >= gate.limit);
  const ci = `${formatMetricEstimate(metric, value)}${coverageNote(value, confidence)}`;
  const undecidable = tooFewTrials(value, confidence, `the interval ${formatMetricEstimate(metric, value)}`);
  let verdict: Verdict;
  let reason: string;
  if (undecidable) {
    verdict = 'inconclusive';
    reason = `${undecidable} (limit ${limit})`;
  } else if (within(safeBound)) {
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
  // Too few trials decide nothing, whatever the median: no blind spot to name.
  if (verdict === 'inconclusive' && !undecidable) reason += `; this run could only have decided a median ${describeThresholdBlindSpot(metric, resolution)}`;
  return { kind: 'threshold', name, arm, metric, value, verdict, reason, resolution, detectable: describeThresholdResolution(metric, resolution, gate.bound) };
}

/**
 * How much worse the candidate may be: a share of the baseline median, never below the floor. The
 * change is the Hodges–Lehmann shift between two runs, or, for a paired run, the median of the
 * per-round differences (both sides measured in the same round).
 */
export function judgeRegression(gate: RegressionGate, arm: string, candidate: number[], baseline: number[], intervals: number | IntervalRule, pairedChange?: MedianEstimate): GateCheck {
  const { metric } = gate;
  const rule = ruleOf(intervals);
  const { confidence } = rule;
  const value = rule.median(candidate);
  // The baseline run is complete whatever this run does: its own fixed-size interval.
  const baselineEstimate = fixedIntervals(confidence).median(baseline);
  const change = pairedChange ?? rule.shift(candidate, baseline);
  const tolerance = Math.max(gate.toleranceShare * Math.abs(baselineEstimate.median), gate.floor);
  // Worsening is positive: higher latency, or lower throughput.
  const worse = GATE_METRICS[metric].worse === 'higher' ? 1 : -1;
  const [worseningLow, worseningHigh] = worse === 1 ? [change.low, change.high] : [-change.high, -change.low];
  const name = `${arm}: ${label(gate)} no worse than baseline + ${formatMetricValue(metric, tolerance)}`;
  const changeText = `change ${formatMetricEstimate(metric, change, true)}${coverageNote(change, confidence)}`;
  const undecidable = tooFewTrials(change, confidence, `the change ${formatMetricEstimate(metric, change, true)}`);
  let verdict: Verdict;
  let reason: string;
  if (undecidable) {
    verdict = 'inconclusive';
    reason = `${undecidable} (tolerance ${formatMetricValue(metric, tolerance)})`;
  } else if (worseningLow > tolerance) {
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
  if (verdict === 'inconclusive' && !undecidable) reason += `; this run could only have caught regressions ${describeRegressionResolution(metric, resolution)}`;
  return { kind: 'regression', name, arm, metric, value, baseline: baselineEstimate, change, verdict, reason, resolution, detectable: describeRegressionResolution(metric, resolution) };
}

/** A check the run cannot judge, with why: it stays in the verdict and never counts as a pass. */
export function notEvaluated(kind: GateCheck['kind'], gate: GateSelector, name: string, arm: string, reason: string): GateCheck {
  return { kind, name, arm, metric: gate.metric, verdict: 'not-evaluated', reason: `not evaluated: ${reason}` };
}

export const regressionName = (gate: RegressionGate, arm: string): string =>
  `${arm}: ${label(gate)} no worse than baseline + ${percent(gate.toleranceShare)}${gate.floor > 0 ? ` (at least ${formatMetricValue(gate.metric, gate.floor)})` : ''}`;

type Expanded<T> = { gate: T; arm: string } & ({ values: number[]; byRound: RoundValues } | { unmeasured: string });

/** Every (gate, arm) pair the gates ask for, each with its values or why there are none. */
function expand<T extends GateSelector>(gates: readonly T[], summary: ResultsSummary, results: Results): Expanded<T>[] {
  const reference = results.baseline ?? REFERENCE_TOPOLOGY;
  return gates.flatMap((gate) =>
    selectedArms(gate, results, summary).map((arm): Expanded<T> => {
      const cannot = whyGateCannotApply(gate, { name: arm, hasSidecar: armHasSidecar(results, arm) }, reference);
      if (cannot) return { gate, arm, unmeasured: cannot };
      const measured = measureMetric(gate, results, summary, arm);
      return measured instanceof Map ? { gate, arm, values: inRoundOrder(measured), byRound: measured } : { gate, arm, unmeasured: measured.unmeasured };
    }),
  );
}

/**
 * The regressions judged against a baseline (another run, or the "-baseline" side of a paired
 * run): the scenario's entries without `vs: <arm>`, or the default set when it lists none (or only
 * arm-against-arm entries, which are judged within the run).
 */
function crossRunRegressions(gates: GatesSpec): RegressionGate[] {
  if (!gates.regressions) return DEFAULT_REGRESSIONS;
  const plain = gates.regressions.filter((gate) => !comparesArms(gate));
  return plain.length === 0 && gates.regressions.length > 0 ? DEFAULT_REGRESSIONS : plain;
}

/**
 * The default set for a paired run, without the overhead checks: both sides share one app-only
 * trial per round, so an arm's per-round overhead change is exactly its latency change (same
 * estimate, same interval); judging it twice, once against a tolerance of 10 % of the overhead,
 * only added a second verdict on the same number. Listed overhead regressions are still judged.
 */
const PAIRED_DEFAULT_REGRESSIONS = DEFAULT_REGRESSIONS.filter((gate) => gate.metric !== 'overhead');

/** A paired run: every candidate arm against its "-baseline" twin, round by round. */
function pairedRegressions(inputs: GateInputs, rule: IntervalRule): GateCheck[] {
  const { results, summary, gates } = inputs;
  const suffix = results.pairing?.suffix;
  if (!suffix) return [];
  const arms = new Set(results.topologies.map((topology) => topology.name));
  // The reference (app-only) runs once in a paired run, shared by both sides: "*" has nothing to compare it with.
  const comparable = (entry: { gate: RegressionGate; arm: string }) => entry.gate.topology !== '*' || arms.has(`${entry.arm}${suffix}`);
  const regressions = crossRunRegressions(gates);
  return expand(regressions === DEFAULT_REGRESSIONS ? PAIRED_DEFAULT_REGRESSIONS : regressions, summary, results).filter(comparable).map((entry) => {
    const { gate, arm } = entry;
    if ('unmeasured' in entry) return notEvaluated('regression', gate, regressionName(gate, arm), arm, entry.unmeasured);
    const twin = measureMetric(gate, results, summary, `${arm}${suffix}`);
    if (!(twin instanceof Map)) return notEvaluated('regression', gate, regressionName(gate, arm), arm, `its baseline side: ${twin.unmeasured}`);
    const change = rule.median(pairedDifferences(sortedByRound(entry.byRound), twin));
    if (change.n === 0) return notEvaluated('regression', gate, regressionName(gate, arm), arm, `no round has a successful trial of both ${arm} and ${arm}${suffix}`);
    return judgeRegression(gate, arm, entry.values, inRoundOrder(twin), rule, change);
  });
}

export interface GateInputs {
  results: Results;
  summary: ResultsSummary;
  gates: GatesSpec;
  /** A baseline run: regressions are checked against it. */
  baseline?: { results: Results; summary: ResultsSummary };
  /** How the baseline run differs from this one, said plainly (see comparability.ts). */
  baselineDifferences?: readonly string[];
  /** Some of those differences make the runs incomparable (allowed with --allow-different): every regression verdict then carries them. */
  baselineIncomparable?: boolean;
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
export function referenceDrift(inputs: GateInputs, rule: IntervalRule = intervalRule(inputs.gates)): string | undefined {
  const { results, summary, baseline } = inputs;
  const reference = summary.baseline;
  if (!baseline || !reference || baseline.summary.baseline !== reference) return undefined;
  const moved = DRIFT_PROBES.flatMap((gate) => {
    const candidate = metricByRound(gate, results, summary, reference);
    const before = metricByRound(gate, baseline.results, baseline.summary, reference);
    if (!candidate || !before) return [];
    const check = judgeRegression(gate, reference, inRoundOrder(candidate), [...before.values()], rule);
    return check.verdict === 'fail' ? [`${label(gate)} ${formatMetricEstimate(gate.metric, check.change as MedianEstimate, true)}`] : [];
  });
  if (moved.length === 0) return undefined;
  return `the reference topology ${reference} got worse too (${moved.join('; ')}): the machine changed between the runs, or the change slows the bare app as well (a kernel setting?); compare the two in one run to tell which`;
}

/** A run that did not complete, and every failed trial: each makes the run unfit to pass a gate. */
export function runErrorsOf(results: Results): RunError[] {
  const errors: RunError[] = [];
  if (results.run.status !== 'complete') {
    const cause = results.run.error ? `: ${results.run.error.message}` : '';
    errors.push({ subject: 'run', message: `${results.run.status === 'interrupted' ? 'the run was interrupted' : 'the run failed'}${cause}; it did not complete, so its figures are partial and cannot pass a gate` });
  }
  const perArm = new Map<string, number>();
  for (const trial of results.trials) {
    const index = (perArm.get(trial.topology) ?? 0) + 1;
    perArm.set(trial.topology, index);
    if (trial.state !== 'failed') continue;
    const code = trial.error.code ? ` [${trial.error.code}]` : '';
    errors.push({ subject: `${trial.topology} trial ${index} (round ${trial.round})`, arm: trial.topology, message: `${trial.topology} trial ${index} (round ${trial.round}) failed${code}: ${trial.error.message}` });
  }
  return errors;
}

/** Every threshold of the scenario, and every regression when a baseline is given; none vanishes. */
export function evaluateGates(inputs: GateInputs): GateResult {
  const { results, summary, gates, baseline } = inputs;
  const rule = intervalRule(gates);
  const checks: GateCheck[] = expand(gates.thresholds.filter((gate) => !comparesArms(gate)), summary, results).map((entry) =>
    'unmeasured' in entry ? notEvaluated('threshold', entry.gate, thresholdName(entry.gate, entry.arm), entry.arm, entry.unmeasured) : judgeThreshold(entry.gate, entry.arm, entry.values, rule),
  );
  // `vs: <arm>` entries compare two arms of this run, round by round, with or without a baseline.
  checks.push(...armThresholds(gates.thresholds, inputs, rule), ...armRegressions(gates.regressions ?? [], inputs, rule));
  if (!baseline) checks.push(...pairedRegressions(inputs, rule));
  if (baseline) {
    const drift = referenceDrift(inputs, rule);
    const differs = inputs.baselineIncomparable && inputs.baselineDifferences?.length ? `; judged although the baseline run is not comparable: ${inputs.baselineDifferences.join('; ')}` : '';
    for (const entry of expand(crossRunRegressions(gates), summary, results)) {
      const { gate, arm } = entry;
      const baselineValues = 'unmeasured' in entry ? undefined : measureMetric(gate, baseline.results, baseline.summary, arm);
      let check: GateCheck;
      if ('unmeasured' in entry) check = notEvaluated('regression', gate, regressionName(gate, arm), arm, entry.unmeasured);
      else if (!(baselineValues instanceof Map)) check = notEvaluated('regression', gate, regressionName(gate, arm), arm, `in the baseline run, ${baselineValues?.unmeasured ?? 'no value'}`);
      else {
        check = judgeRegression(gate, arm, entry.values, [...baselineValues.values()], rule);
        // A failure the reference topology shares is not the candidate's to own: noise guard.
        if (drift && check.verdict === 'fail') check = { ...check, verdict: 'inconclusive', reason: `${check.reason}; but ${drift}` };
      }
      checks.push({ ...check, reason: `${check.reason}${differs}` });
    }
  }
  checks.splice(0, checks.length, ...checks.map((check) => withLatencyValidity(check, summary)), ...unkeptRateChecks(summary));
  const policy = inputs.inconclusivePolicy ?? gates.inconclusive;
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0, 'not-evaluated': 0 };
  for (const check of checks) counts[check.verdict]++;
  const findingChecks = judgeFindings(gates.findings?.failOn ?? [], findingsOf(results, summary));
  for (const check of findingChecks) counts[check.verdict]++;
  const runErrors = runErrorsOf(results);
  const failed = counts.fail > 0 || counts['not-evaluated'] > 0 || (policy === 'fail' && counts.inconclusive > 0);
  return { checks, findingChecks, inconclusivePolicy: policy, runErrors, ...(inputs.baselineDifferences?.length ? { baselineDifferences: inputs.baselineDifferences } : {}), verdict: runErrors.length > 0 ? 'error' : failed ? 'fail' : 'pass', counts };
}
