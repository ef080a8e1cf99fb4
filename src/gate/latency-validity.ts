import type { ResultsSummary } from '../analysis/types.js';
import type { GateCheck } from './evaluate.js';

/** Metrics read from the latency of successful responses: they mean nothing on a flagged trial. */
const LATENCY_METRICS = new Set<GateCheck['metric']>(['latency', 'overhead']);

/** The flagged trials of an arm, as "round N: reason" (see analysis/trial-validity.ts). */
export function flaggedLatencyTrials(summary: ResultsSummary, arm: string): string[] {
  const topology = summary.topologies.find((t) => t.topology === arm);
  return (topology?.trials ?? []).flatMap((trial) => trial.latencyProblems.map((problem) => `${arm} round ${trial.round + 1}: ${problem}`));
}

/**
 * A latency or overhead check on an arm (or, for overhead, a baseline) with a flagged trial cannot
 * pass: dropping the trial would leave the failures out of sight, keeping it would judge a latency
 * that does not describe what clients got. It fails, naming the trials.
 */
export function withLatencyValidity(check: GateCheck, summary: ResultsSummary): GateCheck {
  if (!LATENCY_METRICS.has(check.metric) || check.verdict === 'not-evaluated') return check;
  const arms = check.metric === 'overhead' && summary.baseline && summary.baseline !== check.arm ? [check.arm, summary.baseline] : [check.arm];
  const flagged = arms.flatMap((arm) => flaggedLatencyTrials(summary, arm));
  if (flagged.length === 0) return check;
  return { ...check, verdict: 'fail', reason: `cannot pass: its latency is not meaningful (${flagged.join('; ')}); as measured, ${check.reason}` };
}
