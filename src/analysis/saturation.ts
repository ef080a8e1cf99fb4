/**
 * Maximum throughput, from the closed-model burst after each trial (load.saturation): its own
 * figure, never mixed into latency overheads (at saturation latency is mostly queueing, and the
 * topologies run at different throughputs).
 */
import type { OkTrial } from '../results/schema.js';
import { estimateMedian, pairedDifferences, type MedianEstimate } from './statistics.js';

export interface SaturationSummary {
  connections: number;
  /** Successful responses per second at saturation, median over trials. */
  rps: MedianEstimate;
  /** 1 − rps / the baseline's rps, paired by round (absent for the baseline itself). */
  dropVsBaseline?: MedianEstimate;
}

const byRound = (trials: readonly OkTrial[]) => new Map(trials.flatMap((trial) => (trial.saturation ? [[trial.round, trial.saturation.rps] as const] : [])));

export function summarizeSaturation(arm: readonly OkTrial[], baseline: readonly OkTrial[] | undefined): SaturationSummary | undefined {
  const own = byRound(arm);
  const connections = arm.find((trial) => trial.saturation)?.saturation?.connections;
  if (connections === undefined || own.size === 0) return undefined;
  const rps = estimateMedian([...own.values()]);
  if (!baseline) return { connections, rps };
  const reference = byRound(baseline);
  const shares = new Map([...own].flatMap(([round, value]) => (reference.get(round) ? [[round, value / (reference.get(round) as number)] as const] : [])));
  const ones = new Map([...shares.keys()].map((round) => [round, 1] as const));
  // 1 − share per round, so the interval is on the drop itself.
  return { connections, rps, dropVsBaseline: estimateMedian(pairedDifferences(ones, shares)) };
}
