/**
 * A sweep trial as the knee sees it (knee.ts StepTrial), and a step's trials judged together.
 * Shared by the runner (to decide whether a topology goes on) and the analysis (the report), so
 * both judge the same way.
 */
import { decodeHistogram } from '../hdr/histogram.js';
import { attemptedRequests, failedRequests, successfulResponses } from '../load/agent-protocol.js';
import type { TrialRecord } from '../results/schema.js';
import { judgeStep, type Slo, type StepJudgement, type StepTrial } from './knee.js';
import { rateNotSustained } from './trial-validity.js';

/** One trial's achieved rate, P99, error rate and whether it kept its rate. A failed trial carried nothing. */
export function stepTrialOf(trial: TrialRecord): StepTrial {
  if (trial.state !== 'ok') return { achievedRps: 0, errorRate: 1, sustained: false };
  const seconds = (trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000;
  const ok = successfulResponses(trial.load);
  const attempts = attemptedRequests(trial.load);
  const histogram = decodeHistogram(trial.load.histograms.latencyUs);
  return {
    achievedRps: seconds > 0 ? ok / seconds : 0,
    ...(histogram.totalCount > 0 ? { p99Us: histogram.getValueAtPercentile(99) } : {}),
    errorRate: attempts > 0 ? failedRequests(trial.load) / attempts : 1,
    sustained: ok > 0 && rateNotSustained(trial) === undefined,
  };
}

/** Judges the trials of one arm at one step against the SLO. */
export function judgeTrials(targetRps: number, trials: readonly TrialRecord[], slo: Slo, confidence?: number): StepJudgement {
  return judgeStep(targetRps, trials.map(stepTrialOf), slo, confidence);
}
