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

/**
 * One failed check per open-model arm that did not keep its rate in some round, so the gate sees
 * an unkept rate even when it has no latency check (which would fail through
 * {@link withLatencyValidity}): the run measured another load than the one it claims. Arms that
 * kept their rate add no check.
 */
export function unkeptRateChecks(summary: ResultsSummary): GateCheck[] {
  return summary.topologies.flatMap((topology): GateCheck[] => {
    const rounds = topology.trials.flatMap((trial) => (trial.unkeptRate ? [`round ${trial.round + 1}: ${trial.unkeptRate}`] : []));
    if (rounds.length === 0) return [];
    return [
      {
        kind: 'threshold',
        name: `${topology.topology}: the open-model rate kept in every round`,
        arm: topology.topology,
        metric: 'rps',
        verdict: 'fail',
        reason: `the load was not the scenario's: ${rounds.join('; ')}; lower the rate, add connections, or find what stalled the load agent`,
      },
    ];
  });
}
