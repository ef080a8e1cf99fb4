import { perRoundStatistic, type HistogramKey } from '../analysis/estimators.js';
import type { ResultsSummary, TrialSummary } from '../analysis/types.js';
import { attemptedRequests, failedRequests } from '../load/agent-protocol.js';
import type { OkTrial, Results } from '../results/schema.js';
import { ESTIMATOR_KEYS, GATE_STATISTICS } from '../scenario/gates-schema.js';
import type { GateSelector } from '../scenario/scenario.js';

/** round → the metric's value in that trial (base units: µs, bytes, fraction, number). */
export type RoundValues = Map<number, number>;

const ESTIMATOR_HISTOGRAM: Record<(typeof ESTIMATOR_KEYS)[keyof typeof ESTIMATOR_KEYS], HistogramKey> = {
  differential: 'latencyUs',
  perRequestAppUs: 'networkAndProxiesUs',
  perRequestHeader: 'proxyOverheadUs',
};

function okTrials(results: Results, arm: string): OkTrial[] {
  return results.trials.filter((trial): trial is OkTrial => trial.state === 'ok' && trial.topology === arm);
}

function trialSummaries(summary: ResultsSummary, arm: string): TrialSummary[] {
  return summary.topologies.find((topology) => topology.topology === arm)?.trials ?? [];
}

function perTrial(summary: ResultsSummary, arm: string, value: (trial: TrialSummary) => number | undefined): RoundValues {
  const values: RoundValues = new Map();
  for (const trial of trialSummaries(summary, arm)) {
    const v = value(trial);
    if (v !== undefined && Number.isFinite(v)) values.set(trial.round, v);
  }
  return values;
}

function difference(a: RoundValues, b: RoundValues): RoundValues {
  const values: RoundValues = new Map();
  for (const [round, value] of a) {
    const other = b.get(round);
    if (other !== undefined) values.set(round, value - other);
  }
  return values;
}

const hasHeader = (trials: readonly OkTrial[]) => trials.some((trial) => trial.load.headerCounts.upstreamServiceTime > 0);

/**
 * The metric's value per round for one arm; undefined when the metric does not apply to it
 * (no sidecar, the baseline itself, no such reference topology).
 */
export function metricByRound(selector: GateSelector, results: Results, summary: ResultsSummary, arm: string): RoundValues | undefined {
  const statistic = selector.statistic ? GATE_STATISTICS[selector.statistic] : undefined;
  const containers = (trial: TrialSummary, role: string) => trial.resources.filter((container) => container.role === role);
  let values: RoundValues | undefined;
  switch (selector.metric) {
    case 'latency':
      values = perRoundStatistic(okTrials(results, arm), 'latencyUs', statistic ?? 'p50Us');
      break;
    case 'overhead': {
      if (!summary.baseline || arm === summary.baseline) return undefined;
      const key = ESTIMATOR_HISTOGRAM[ESTIMATOR_KEYS[selector.estimator]];
      const armValues = perRoundStatistic(okTrials(results, arm), key, statistic ?? 'p50Us');
      const baselineTrials = okTrials(results, summary.baseline);
      // A baseline without a proxy has no proxy overhead: the header estimator is then absolute.
      values = key === 'proxyOverheadUs' && !hasHeader(baselineTrials) ? armValues : difference(armValues, perRoundStatistic(baselineTrials, key, statistic ?? 'p50Us'));
      if (key === 'proxyOverheadUs' && !hasHeader(okTrials(results, arm))) return undefined;
      break;
    }
    case 'rps':
      values = perTrial(summary, arm, (trial) => trial.rps);
      break;
    case 'throughput-drop': {
      if (!selector.vs || selector.vs === arm) return undefined;
      // At saturation when the run measured it (the seed's figure is about maximum throughput).
      const throughput = (name: string) => {
        const saturated = new Map(okTrials(results, name).flatMap((trial) => (trial.saturation ? [[trial.round, trial.saturation.rps] as const] : [])));
        return saturated.size > 0 ? saturated : perTrial(summary, name, (trial) => trial.rps);
      };
      const reference = throughput(selector.vs);
      const own = throughput(arm);
      values = new Map([...own].flatMap(([round, rps]) => (reference.get(round) ? [[round, 1 - rps / (reference.get(round) as number)] as const] : [])));
      break;
    }
    case 'sidecar-vcpu-per-1k-rps':
      values = perTrial(summary, arm, (trial) => (containers(trial, 'sidecar').length ? containers(trial, 'sidecar').reduce((sum, c) => sum + c.vcpuPer1kRps, 0) : undefined));
      break;
    case 'sidecar-rss':
      values = perTrial(summary, arm, (trial) => (containers(trial, 'sidecar').length ? Math.max(...containers(trial, 'sidecar').map((c) => c.rssMaxBytes)) : undefined));
      break;
    case 'ctx-switches-per-second-per-core':
      values = perTrial(summary, arm, (trial) =>
        containers(trial, selector.role).length ? Math.max(...containers(trial, selector.role).map((c) => c.ctxSwitchesPerSecondPerCore)) : undefined,
      );
      break;
    case 'error-rate':
      values = new Map(
        okTrials(results, arm).map((trial) => {
          const attempts = attemptedRequests(trial.load);
          return [trial.round, attempts > 0 ? failedRequests(trial.load) / attempts : 0];
        }),
      );
      break;
    case 'oom-kills':
      values = perTrial(summary, arm, (trial) => trial.resources.reduce((sum, c) => sum + (c.oomKills ?? 0), 0));
      break;
  }
  return values && values.size > 0 ? values : undefined;
}

/** The arms a selector names: one, or with "*" every arm of the run (the baseline side of a paired run excepted). */
export function selectedArms(selector: GateSelector, summary: ResultsSummary, baselineSuffix?: string): string[] {
  if (selector.topology !== '*') return [selector.topology];
  return summary.topologies.map((topology) => topology.topology).filter((name) => !baselineSuffix || !name.endsWith(baselineSuffix));
}
