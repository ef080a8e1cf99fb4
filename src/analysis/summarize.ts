import { decodeHistogram, mergeEncoded, percentileCurveUs, summarizeUs, type LatencySummaryUs } from '../hdr/histogram.js';
import { attemptedRequests, failedRequests, non2xxResponses, successfulResponses } from '../load/agent-protocol.js';
import type { OkTrial, Results, TopologyRecord } from '../results/schema.js';
import { summarizeCalibration } from './calibration.js';
import { summarizeEbpf } from './ebpf.js';
import { summarizeMtls } from './mtls.js';
import { overheadEstimators, statisticsOverTrials } from './estimators.js';
import { summarizeOpenModel } from './open-model.js';
import { latencyProblems, rateNotSustained } from './trial-validity.js';
import { summarizeClosedCheck } from './closed-check.js';
import { summarizeSaturation } from './saturation.js';
import { summarizeCapacity } from './capacity.js';
import { DEFAULT_CONFIDENCE, trialsForConfidence } from './statistics.js';
import type { ContainerWindowResources, ResultsSummary, TopologySummary, TrialSummary } from './types.js';
import { containerResourceSeries, containerWindowResources, cpusetSize, type ContainerIdentity } from './window-resources.js';
import { diagnose } from './findings/index.js';

export const BASELINE_TOPOLOGY = 'app-only';

const windowSeconds = (trial: OkTrial) => Math.max(0, (trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000);

function containerIdentities(topology: TopologyRecord, hostCores: number): { identity: ContainerIdentity; cores: number }[] {
  return topology.pods.flatMap((pod) =>
    pod.containers.map((container) => ({
      identity: {
        container: container.name,
        pod: pod.name,
        side: pod.side,
        role: container.role,
        ...(container.resources ? { resources: { requests: container.resources.requests, limits: container.resources.limits } } : {}),
      },
      cores: pod.cpus ? cpusetSize(pod.cpus) : hostCores,
    })),
  );
}

function summarizeTrial(trial: OkTrial, topology: TopologyRecord, hostCores: number): TrialSummary {
  const seconds = windowSeconds(trial);
  // Throughput counts successful responses only: a fast 503 is not throughput.
  const okResponses = successfulResponses(trial.load);
  const rps = seconds > 0 ? okResponses / seconds : 0;
  const resources = containerIdentities(topology, hostCores)
    .map(({ identity, cores }) => containerWindowResources(trial.resources.samples, trial.load.window, identity, cores, rps))
    .filter((value): value is ContainerWindowResources => value !== undefined);
  return {
    round: trial.round,
    responses: okResponses,
    attempts: attemptedRequests(trial.load),
    failed: failedRequests(trial.load),
    latencyProblems: latencyProblems(trial),
    ...(rateNotSustained(trial) ? { unkeptRate: rateNotSustained(trial) } : {}),
    windowSeconds: seconds,
    rps,
    latency: summarizeUs(decodeHistogram(trial.load.histograms.latencyUs)),
    resources,
  };
}

/** Mean of each numeric figure over the trials that have it, per container (order does not matter). */
function meanResources(trials: readonly TrialSummary[]): ContainerWindowResources[] {
  const byContainer = new Map<string, ContainerWindowResources[]>();
  for (const trial of trials) for (const resources of trial.resources) byContainer.set(resources.container, [...(byContainer.get(resources.container) ?? []), resources]);
  return [...byContainer.values()].map((list) => {
    const mean: Record<string, unknown> = {};
    const keys = new Set(list.flatMap((item) => Object.keys(item)));
    for (const key of keys) {
      const values = list.map((item) => (item as unknown as Record<string, unknown>)[key]).filter((value) => value !== undefined);
      mean[key] = typeof values[0] === 'number' ? (values as number[]).reduce((sum, value) => sum + value, 0) / values.length : values[0];
    }
    mean.processNames = [...new Set(list.flatMap((item) => item.processNames))].sort();
    return mean as unknown as ContainerWindowResources;
  });
}

function mergedSummary(trials: readonly OkTrial[], key: keyof OkTrial['load']['histograms']): LatencySummaryUs {
  return summarizeUs(mergeEncoded(trials.flatMap((trial) => trial.load.histograms[key] ?? [])));
}

function summarizeTopology(results: Results, topology: TopologyRecord): TopologySummary {
  const all = results.trials.filter((trial) => trial.topology === topology.name);
  const ok = all.filter((trial): trial is OkTrial => trial.state === 'ok');
  const failures = all.flatMap((trial) => (trial.state === 'failed' ? [`round ${trial.round + 1}: ${trial.error.message}`] : []));
  const trials = ok.map((trial) => summarizeTrial(trial, topology, results.host.logicalCores));
  const responses = ok.reduce((sum, trial) => sum + successfulResponses(trial.load), 0);
  const seconds = ok.reduce((sum, trial) => sum + windowSeconds(trial), 0);
  const connectionErrors = ok.reduce((sum, trial) => sum + trial.load.connectionErrors, 0);
  const timeouts = ok.reduce((sum, trial) => sum + trial.load.timeouts, 0);
  const unansweredAtEnd = ok.reduce((sum, trial) => sum + (trial.load.unansweredAtEnd ?? 0), 0);
  const non2xx = ok.reduce((sum, trial) => sum + non2xxResponses(trial.load.statusCodes), 0);
  const attempts = ok.reduce((sum, trial) => sum + attemptedRequests(trial.load), 0);
  const latenciesAboveRange = ok.reduce((sum, trial) => sum + (trial.load.latenciesAboveRange ?? 0), 0);
  const failedLatency = mergeEncoded(ok.flatMap((trial) => trial.load.histograms.failedLatencyUs ?? []));
  const latencyHistogram = mergeEncoded(ok.map((trial) => trial.load.histograms.latencyUs));
  const open = summarizeOpenModel(ok);
  const upstreamCount = ok.reduce((sum, trial) => sum + trial.load.headerCounts.upstreamServiceTime, 0);
  const appCount = ok.reduce((sum, trial) => sum + trial.load.headerCounts.appServiceTime, 0);

  return {
    topology: topology.name,
    description: topology.description,
    okTrials: ok.length,
    failedTrials: all.length - ok.length,
    failures,
    responses,
    windowSeconds: seconds,
    rps: seconds > 0 ? responses / seconds : 0,
    errors: {
      connectionErrors,
      timeouts,
      unansweredAtEnd,
      non2xx,
      attempts,
      errorRate: attempts > 0 ? (connectionErrors + timeouts + unansweredAtEnd + non2xx) / attempts : 0,
      messages: [...new Set(ok.flatMap((trial) => trial.load.errorMessages))],
      ...(failedLatency.totalCount > 0 ? { failedLatency: summarizeUs(failedLatency) } : {}),
    },
    latencyProblems: trials.flatMap((trial) => trial.latencyProblems.map((problem) => `round ${trial.round + 1}: ${problem}`)),
    latenciesAboveRange,
    latency: summarizeUs(latencyHistogram),
    latencyOverTrials: statisticsOverTrials(ok, 'latencyUs'),
    percentileCurve: percentileCurveUs(latencyHistogram),
    ...(open ? { open } : {}),
    perRequest: {
      upstreamHeaderShare: responses > 0 ? upstreamCount / responses : 0,
      appHeaderShare: responses > 0 ? appCount / responses : 0,
      ...(upstreamCount > 0
        ? { proxyOverheadUs: mergedSummary(ok, 'proxyOverheadUs'), upstreamServiceTimeUs: mergedSummary(ok, 'upstreamServiceTimeUs') }
        : {}),
      ...(appCount > 0 ? { networkAndProxiesUs: mergedSummary(ok, 'networkAndProxiesUs'), appServiceTimeUs: mergedSummary(ok, 'appServiceTimeUs') } : {}),
    },
    trials,
    resources: meanResources(trials),
    resourceSeries: ok.flatMap((trial) =>
      containerIdentities(topology, results.host.logicalCores).flatMap(({ identity }) =>
        containerResourceSeries(trial.resources.samples, trial.load.window, identity, trial.round),
      ),
    ),
  };
}

/** The scenario's load.protocol as recorded (http1 when absent, as in files before protocols). */
function scenarioProtocol(results: Results): string {
  const load = (results.scenario as { load?: { protocol?: unknown } }).load;
  return typeof load?.protocol === 'string' ? load.protocol : 'http1';
}

/** The arm without any sidecar that speaks `protocol`: that protocol's baseline. */
function bareArmOf(results: Results, protocol: string): string | undefined {
  const bare = (record: Results['topologies'][number]) => record.pods.every((pod) => pod.containers.every((container) => container.role !== 'sidecar'));
  return results.topologies.find((record) => (record.protocol ?? 'http1') === protocol && bare(record))?.name;
}

const okTrialsOf = (results: Results, topology: string) =>
  results.trials.filter((trial): trial is OkTrial => trial.state === 'ok' && trial.topology === topology);

export const CI_METHOD = `Figures over trials are medians with a ${DEFAULT_CONFIDENCE * 100} % confidence interval for the median from order statistics (distribution-free; exact binomial coverage). Overheads pair each trial with the baseline's trial of the same round. Fewer than ${trialsForConfidence()} trials cannot reach ${DEFAULT_CONFIDENCE * 100} %: the coverage achieved is shown instead.`;

/** Everything the report and the terminal table show, computed from results.json alone. */
export function summarizeResults(results: Results): ResultsSummary {
  const topologies = results.topologies.map((topology) => summarizeTopology(results, topology));
  const baselineName = results.baseline ?? BASELINE_TOPOLOGY;
  const baseline = topologies.find((topology) => topology.topology === baselineName && topology.okTrials > 0);
  const runProtocol = scenarioProtocol(results);
  const withTrials = (name: string | undefined) => topologies.find((topology) => topology.topology === name && topology.okTrials > 0);
  for (const [index, topology] of topologies.entries()) {
    // An arm speaking another protocol than the run's is measured over the app-only arm speaking it.
    const protocol = results.topologies[index]?.protocol ?? 'http1';
    const own = protocol === runProtocol ? baseline : withTrials(bareArmOf(results, protocol));
    if (protocol !== 'http1') topology.protocol = protocol;
    if (own !== undefined && own !== baseline && own !== topology) topology.baseline = own.topology;
    const ownTrials = own && own !== topology ? okTrialsOf(results, own.topology) : undefined;
    if (ownTrials && topology.okTrials > 0) topology.estimators = overheadEstimators(okTrialsOf(results, topology.topology), ownTrials);
    const check = summarizeClosedCheck(okTrialsOf(results, topology.topology), ownTrials, topology.estimators?.differential.p50Us);
    if (check) topology.closedCheck = check;
    const saturation = summarizeSaturation(okTrialsOf(results, topology.topology), ownTrials);
    if (saturation) topology.saturation = saturation;
  }
  const summary: ResultsSummary = { ...(baseline ? { baseline: baseline.topology } : {}), topologies, ciMethod: CI_METHOD };
  const calibration = results.calibration ? summarizeCalibration(results.calibration, summary, results.host.stalls) : undefined;
  const mtls = summarizeMtls(results, summary);
  const ebpf = summarizeEbpf(results, summary);
  const capacity = summarizeCapacity(results, topologies);
  return { ...summary, ...(calibration ? { calibration } : {}), ...(mtls ? { mtls } : {}), ...(ebpf ? { ebpf } : {}), ...(capacity ? { capacity } : {}), findings: diagnose(results) };
}
