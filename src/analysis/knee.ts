/**
 * The knee of a rate sweep: the highest offered rate that still meets the scenario's SLO
 * (P99 ≤ a limit and error rate ≤ a limit), with a confidence interval.
 *
 * Each step (one offered rate, several interleaved trials) is judged on the median over its trials
 * and the order-statistics interval of that median (statistics.ts). A trial that did not sustain
 * its rate, or got no successful response, counts as an infinite P99: a topology that cannot carry
 * the rate does not meet any latency objective at it, however fast its few answers were.
 *
 * - knee: the highest rate such that it and every lower step meet the SLO on the median;
 * - low: the highest rate of the run of steps from the bottom that *clearly* meet it (the upper
 *   bounds of both intervals within the SLO): the knee is at least there;
 * - high: the lowest rate above the knee that *clearly* fails it (the lower bound of an interval
 *   past the SLO): the knee is below there;
 * - coverage: the two statements hold together with at least 1 − (1 − c_low) − (1 − c_high)
 *   (Bonferroni), where each c is the coverage of the intervals used.
 */
import { estimateMedian, DEFAULT_CONFIDENCE, type MedianEstimate } from './statistics.js';

/** The service-level objective a sweep is judged against. */
export interface Slo {
  /** P99 latency limit, µs. */
  p99Us: number;
  /** Error-rate limit, a share (0.001 = 0.1 %). */
  maxErrorRate: number;
}

/** One trial of a sweep step, as the knee needs it. */
export interface StepTrial {
  /** Successful responses per second over the measured window. */
  achievedRps: number;
  /** P99 of successful responses; undefined when there were none. */
  p99Us?: number;
  /** Failed requests / attempts. */
  errorRate: number;
  /** The open-model rate was kept (trial-validity.ts). */
  sustained: boolean;
}

export interface StepJudgement {
  targetRps: number;
  trials: number;
  sustainedTrials: number;
  achievedRps: MedianEstimate;
  /** Over the trials that have a P99 (display); the verdict uses ∞ for unsustained trials. */
  p99Us: MedianEstimate;
  errorRate: MedianEstimate;
  /** The medians are within the SLO (unsustained trials counted as failing). */
  meets: boolean;
  /** Both intervals lie within the SLO. */
  clearlyMeets: boolean;
  /** An interval lies wholly past the SLO. */
  clearlyFails: boolean;
  /** Coverage of the statement clearlyMeets or clearlyFails makes (whichever holds; else of one interval). */
  coverage: number;
}

export interface KneeEstimate {
  /**
   * found: the SLO is met at the lowest rate and missed above the knee; above-highest: met at
   * every rate swept (the knee is at least the highest); below-lowest: missed at the lowest rate.
   */
  status: 'found' | 'above-highest' | 'below-lowest' | 'no-steps';
  /** Offered rate of the knee step, req/s (absent for below-lowest). */
  rps?: number;
  /** Median achieved (successful) req/s at the knee step. */
  achievedRps?: number;
  /** The knee is at least this offered rate (absent when even the lowest step is not clearly within the SLO). */
  low?: number;
  /** The knee is below this offered rate (absent when no step clearly fails the SLO). */
  high?: number;
  /** Joint coverage of [low, high) (Bonferroni); 0 when neither bound exists. */
  coverage: number;
}

/** Judges one step against the SLO. */
export function judgeStep(targetRps: number, trials: readonly StepTrial[], slo: Slo, confidence = DEFAULT_CONFIDENCE): StepJudgement {
  const judgedP99 = estimateMedian(trials.map((trial) => (trial.sustained && trial.p99Us !== undefined ? trial.p99Us : Number.POSITIVE_INFINITY)), confidence);
  const errorRate = estimateMedian(trials.map((trial) => trial.errorRate), confidence);
  const meets = trials.length > 0 && judgedP99.median <= slo.p99Us && errorRate.median <= slo.maxErrorRate;
  const clearlyMeets = trials.length > 0 && judgedP99.high <= slo.p99Us && errorRate.high <= slo.maxErrorRate;
  const clearlyFails = trials.length > 0 && (judgedP99.low > slo.p99Us || errorRate.low > slo.maxErrorRate);
  const single = judgedP99.coverage;
  return {
    targetRps,
    trials: trials.length,
    sustainedTrials: trials.filter((trial) => trial.sustained).length,
    achievedRps: estimateMedian(trials.map((trial) => trial.achievedRps), confidence),
    p99Us: estimateMedian(trials.flatMap((trial) => (trial.p99Us === undefined ? [] : [trial.p99Us])), confidence),
    errorRate,
    meets,
    clearlyMeets,
    clearlyFails,
    // Meeting needs both intervals inside (two statements); failing needs one outside.
    coverage: clearlyMeets ? Math.max(0, 1 - 2 * (1 - single)) : single,
  };
}

/** The knee from judged steps (any order; sorted by offered rate here). */
export function findKnee(steps: readonly StepJudgement[]): KneeEstimate {
  const sorted = [...steps].sort((a, b) => a.targetRps - b.targetRps);
  if (sorted.length === 0) return { status: 'no-steps', coverage: 0 };
  let kneeIndex = -1;
  while (kneeIndex + 1 < sorted.length && (sorted[kneeIndex + 1] as StepJudgement).meets) kneeIndex++;
  let lowIndex = -1;
  while (lowIndex + 1 < sorted.length && (sorted[lowIndex + 1] as StepJudgement).clearlyMeets) lowIndex++;
  const highStep = sorted.slice(Math.max(kneeIndex + 1, 0)).find((step) => step.clearlyFails);
  const lowStep = lowIndex >= 0 ? sorted[lowIndex] : undefined;
  const coverage = lowStep && highStep ? Math.max(0, 1 - (1 - lowStep.coverage) - (1 - highStep.coverage)) : (lowStep ?? highStep)?.coverage ?? 0;
  const bounds = { ...(lowStep ? { low: lowStep.targetRps } : {}), ...(highStep ? { high: highStep.targetRps } : {}), coverage };
  if (kneeIndex < 0) return { status: 'below-lowest', ...bounds };
  const knee = sorted[kneeIndex] as StepJudgement;
  return {
    status: kneeIndex === sorted.length - 1 ? 'above-highest' : 'found',
    rps: knee.targetRps,
    achievedRps: knee.achievedRps.median,
    ...bounds,
  };
}

/**
 * Whether a topology's sweep has gone far enough: its last step clearly fails the SLO (which
 * includes not sustaining the rate in every trial), or its last two steps both miss it on the
 * median. Further steps would only measure collapse.
 */
export function pastTheSlo(stepsInOrder: readonly StepJudgement[]): boolean {
  const last = stepsInOrder[stepsInOrder.length - 1];
  const previous = stepsInOrder[stepsInOrder.length - 2];
  if (!last) return false;
  return last.clearlyFails || (!last.meets && previous !== undefined && !previous.meets);
}
