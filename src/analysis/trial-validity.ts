/**
 * When a trial's latency means nothing. Latency figures come from successful responses only; once
 * more than 1 % of requests failed, a percentile of the successes is no longer a percentile of
 * what clients got (the P99 of the survivors says nothing about the 1 % that did not survive), and
 * a fast-failing path would otherwise look fast. An open-model trial that did not keep its rate
 * measured a different load from the one it claims.
 */
import { attemptedRequests, failedRequests, successfulResponses } from '../load/agent-protocol.js';
import type { OkTrial } from '../results/schema.js';
import { MAX_UNSENT_SHARE, sentShortOfSchedule } from './open-model.js';

/** Above this share of failed requests, a trial's latency figures are flagged as meaningless. */
export const MAX_FAILED_SHARE_FOR_LATENCY = 0.01;

const percent = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`;

/** Why this trial's latency (and any overhead computed from it) cannot be trusted; empty when it can. */
export function latencyProblems(trial: OkTrial): string[] {
  const problems: string[] = [];
  const attempts = attemptedRequests(trial.load);
  const failed = failedRequests(trial.load);
  if (successfulResponses(trial.load) === 0) problems.push('no successful response');
  else if (attempts > 0 && failed / attempts > MAX_FAILED_SHARE_FOR_LATENCY) {
    problems.push(`${percent(failed / attempts)} of requests failed (${failed} of ${attempts}; above ${percent(MAX_FAILED_SHARE_FOR_LATENCY)} the successes' latency does not describe the trial)`);
  }
  const notSustained = rateNotSustained(trial);
  if (notSustained) problems.push(notSustained);
  return problems;
}

/** Open model: why the trial did not keep its target rate; undefined when it did (or is closed-model). */
export function rateNotSustained(trial: OkTrial): string | undefined {
  const open = trial.load.open;
  if (!open) return undefined;
  const seconds = (trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000;
  const sentRps = seconds > 0 ? open.sent / seconds : 0;
  const unsentShare = open.scheduled > 0 ? open.unsent / open.scheduled : 0;
  if (unsentShare > MAX_UNSENT_SHARE || sentShortOfSchedule(open.sent, open.scheduled)) {
    return `the rate of ${open.targetRps}/s was not sustained (sent ${sentRps.toFixed(0)}/s, ${open.unsent} of ${open.scheduled} never sent)`;
  }
  return undefined;
}
