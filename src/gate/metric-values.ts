import { perRoundStatistic, type HistogramKey } from '../analysis/estimators.js';
import type { ResultsSummary, TrialSummary } from '../analysis/types.js';
import { attemptedRequests, failedRequests } from '../load/agent-protocol.js';
import type { OkTrial, Results } from '../results/schema.js';
import { ESTIMATOR_KEYS, GATE_STATISTICS } from '../scenario/gates-schema.js';
import { REFERENCE_TOPOLOGY, topologyHasSidecar, whyGateCannotApply } from '../scenario/gate-applicability.js';
import type { GateSelector } from '../scenario/scenario.js';
import { sidecarVcpuPer1kRps } from '../analysis/sidecar-cost.js';

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

/** Why a metric has no value for an arm: one clause, e.g. "sidecar has no successful trial (…)". */
export interface Unmeasured {
  unmeasured: string;
}

/** Why an arm has no successful trial: none was run, or each failed (with the first cause). */
export function whyNoOkTrial(results: Results, arm: string): string {
  const trials = results.trials.filter((trial) => trial.topology === arm);
  const failed = trials.filter((trial) => trial.state === 'failed');
  const status = results.run.status === 'complete' ? '' : results.run.status === 'interrupted' ? '; the run was interrupted' : '; the run failed';
  if (trials.length === 0) return `${arm} has no trial at all${status}`;
  const first = failed[0];
  return `${arm} has no successful trial (${failed.length} of ${trials.length} failed${first && first.state === 'failed' ? `, first: ${first.error.message}` : ''})${status}`;
}

/**
 * The metric's value per round for one arm (base units: µs, bytes, fraction, number), or why
 * there is none: no successful trial, no reference, no sidecar sampled, no header, no common round.
 */
export function measureMetric(selector: GateSelector, results: Results, summary: ResultsSummary, arm: string): RoundValues | Unmeasured {
  const statistic = selector.statistic ? GATE_STATISTICS[selector.statistic] : undefined;
  const containers = (trial: TrialSummary, role: string) => trial.resources.filter((container) => container.role === role);
  if (okTrials(results, arm).length === 0) return { unmeasured: whyNoOkTrial(results, arm) };
  const noRole = (role: string) => ({ unmeasured: `no ${role} container of ${arm} was sampled` });
  let values: RoundValues;
  switch (selector.metric) {
    case 'latency':
      values = perRoundStatistic(okTrials(results, arm), 'latencyUs', statistic ?? 'p50Us');
      break;
    case 'overhead': {
      const reference = results.baseline ?? REFERENCE_TOPOLOGY;
      if (arm === reference) return { unmeasured: `${arm} is the reference overhead is measured against` };
      if (!summary.baseline) return { unmeasured: `overhead is measured against ${reference}, and ${whyNoOkTrial(results, reference)}` };
      const key = ESTIMATOR_HISTOGRAM[ESTIMATOR_KEYS[selector.estimator]];
      if (key === 'proxyOverheadUs' && !hasHeader(okTrials(results, arm))) return { unmeasured: `no response of ${arm} carried x-envoy-upstream-service-time (the header estimator needs it)` };
      const armValues = perRoundStatistic(okTrials(results, arm), key, statistic ?? 'p50Us');
      const baselineTrials = okTrials(results, summary.baseline);
      // A baseline without a proxy has no proxy overhead: the header estimator is then absolute.
      values = key === 'proxyOverheadUs' && !hasHeader(baselineTrials) ? armValues : difference(armValues, perRoundStatistic(baselineTrials, key, statistic ?? 'p50Us'));
      if (values.size === 0) return { unmeasured: `no round has a successful trial of both ${arm} and ${summary.baseline}` };
      break;
    }
    case 'rps':
      values = perTrial(summary, arm, (trial) => trial.rps);
      break;
    case 'throughput-drop': {
      if (!selector.vs) return { unmeasured: 'throughput-drop names no vs topology' };
      if (selector.vs === arm) return { unmeasured: `a throughput drop of ${arm} against itself is 0 by definition` };
      if (okTrials(results, selector.vs).length === 0) return { unmeasured: `the drop is measured against ${selector.vs}, and ${whyNoOkTrial(results, selector.vs)}` };
      // At saturation when the run measured it (the seed's figure is about maximum throughput).
      const throughput = (name: string) => {
        const saturated = new Map(okTrials(results, name).flatMap((trial) => (trial.saturation ? [[trial.round, trial.saturation.rps] as const] : [])));
        return saturated.size > 0 ? saturated : perTrial(summary, name, (trial) => trial.rps);
      };
      const reference = throughput(selector.vs);
      const own = throughput(arm);
      values = new Map([...own].flatMap(([round, rps]) => (reference.get(round) ? [[round, 1 - rps / (reference.get(round) as number)] as const] : [])));
      if (values.size === 0) return { unmeasured: `no round has a successful trial of both ${arm} and ${selector.vs} with throughput` };
      break;
    }
    case 'sidecar-vcpu-per-1k-rps':
      values = perTrial(summary, arm, sidecarVcpuPer1kRps);
      if (values.size === 0) return noRole('sidecar');
      break;
    case 'sidecar-rss':
      values = perTrial(summary, arm, (trial) => (containers(trial, 'sidecar').length ? Math.max(...containers(trial, 'sidecar').map((c) => c.rssMaxBytes)) : undefined));
      if (values.size === 0) return noRole('sidecar');
      break;
    case 'ctx-switches-per-second-per-core':
      values = perTrial(summary, arm, (trial) =>
        containers(trial, selector.role).length ? Math.max(...containers(trial, selector.role).map((c) => c.ctxSwitchesPerSecondPerCore)) : undefined,
      );
      if (values.size === 0) return noRole(selector.role);
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
  return values.size > 0 ? values : { unmeasured: `${selector.metric} has no finite value in any trial of ${arm}` };
}

/** {@link measureMetric} for callers that only need the values: undefined when there are none. */
export function metricByRound(selector: GateSelector, results: Results, summary: ResultsSummary, arm: string): RoundValues | undefined {
  const measured = measureMetric(selector, results, summary, arm);
  return measured instanceof Map ? measured : undefined;
}

/** Whether any pod of the arm has a sidecar: from the run's pod records, else from the topology's name. */
export function armHasSidecar(results: Results, arm: string): boolean {
  const record = results.topologies.find((topology) => topology.name === arm);
  if (record) return record.pods.some((pod) => pod.containers.some((container) => container.role === 'sidecar'));
  return topologyHasSidecar(arm);
}

/**
 * The arms a run was asked to measure, whether or not they produced a trial: the scenario's
 * topologies (not for calibration, whose arms have their own names) and every arm the run started.
 */
export function plannedArms(results: Results, summary: ResultsSummary): string[] {
  // A scenario with an arms list names its arms; the simple form's arms are its topologies.
  const scenario = results.scenario as { topologies: string[]; arms?: { name: string }[] };
  const planned = results.calibration ? [] : (scenario.arms?.map((arm) => arm.name) ?? scenario.topologies);
  return [...new Set([...planned, ...summary.topologies.map((topology) => topology.topology)])];
}

/**
 * The arms a selector names: one, or with "*" every planned arm the gate can apply to (the baseline
 * side of a paired run excepted). A named arm is always returned, so a gate on it never vanishes.
 */
export function selectedArms(selector: GateSelector, results: Results, summary: ResultsSummary): string[] {
  if (selector.topology !== '*') return [selector.topology];
  const suffix = results.pairing?.suffix;
  const reference = results.baseline ?? REFERENCE_TOPOLOGY;
  return plannedArms(results, summary)
    .filter((name) => !suffix || !name.endsWith(suffix))
    .filter((name) => whyGateCannotApply(selector, { name, hasSidecar: armHasSidecar(results, name) }, reference) === undefined);
}
