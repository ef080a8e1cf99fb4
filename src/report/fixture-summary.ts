/**
 * The summary of a fixture results.json, derived the plain way: enough analysis to make the
 * report's fixture consistent with its histograms and samples. Not the analysis stage.
 */
import { mergeEncoded, percentileCurveUs, summarizeUs, type LatencySummaryUs } from '../hdr/histogram.js';
import {
  LATENCY_STATISTICS,
  type ContainerWindowResources,
  type LatencyStatistic,
  type ResourcePoint,
  type ResultsSummary,
  type TopologySummary,
  type TrialSummary,
} from '../analysis/types.js';
import type { OkTrial, PodRecord, Results } from '../results/schema.js';

function cores(cpus: string | undefined, hostCores: number): number {
  if (cpus === undefined) return hostCores;
  return cpus.split(',').reduce((sum, part) => {
    const [from, to] = part.split('-').map(Number);
    return sum + (to === undefined ? 1 : to - (from ?? 0) + 1);
  }, 0);
}

function mergedSummary(encoded: string[]): LatencySummaryUs | undefined {
  const summary = summarizeUs(mergeEncoded(encoded));
  return summary.count === 0 ? undefined : summary;
}

function windowResources(trial: OkTrial, pods: PodRecord[], hostCores: number, rps: number): ContainerWindowResources[] {
  const { startEpochMs, endEpochMs } = trial.load.window;
  const inside = trial.resources.samples.filter((s) => s.epochMs >= startEpochMs && s.epochMs <= endEpochMs);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (first === undefined || last === undefined) return [];
  const spanSeconds = (last.epochMs - first.epochMs) / 1000;
  return pods.flatMap((pod) =>
    pod.containers.flatMap((record): ContainerWindowResources[] => {
      const a = first.containers[record.name]?.processes ?? [];
      const b = last.containers[record.name]?.processes ?? [];
      const sum = (list: typeof a, pick: (p: (typeof a)[number]) => number) => list.reduce((total, p) => total + pick(p), 0);
      const cpuSeconds = (sum(b, (p) => p.cpuUs) - sum(a, (p) => p.cpuUs)) / 1e6;
      const voluntary = sum(b, (p) => p.voluntaryCtxSwitches) - sum(a, (p) => p.voluntaryCtxSwitches);
      const involuntary = sum(b, (p) => p.involuntaryCtxSwitches) - sum(a, (p) => p.involuntaryCtxSwitches);
      const rss = inside.map((s) => sum(s.containers[record.name]?.processes ?? [], (p) => p.rssBytes));
      const requests = rps * spanSeconds;
      const vcpu = cpuSeconds / spanSeconds;
      const ctxPerSecond = (voluntary + involuntary) / spanSeconds;
      const cgroupCpu = (last.containers[record.name]?.cgroup.cpuUsageUs ?? 0) - (first.containers[record.name]?.cgroup.cpuUsageUs ?? 0);
      return [{
        container: record.name, pod: pod.name, side: pod.side, role: record.role, spanSeconds, cpuSeconds, vcpu,
        vcpuPer1kRps: vcpu / (rps / 1000), cpuUsPerRequest: (cpuSeconds * 1e6) / requests,
        voluntaryCtxSwitches: voluntary, involuntaryCtxSwitches: involuntary, ctxSwitchesPerSecond: ctxPerSecond,
        ctxSwitchesPerSecondPerCore: ctxPerSecond / cores(pod.cpus, hostCores), ctxSwitchesPerRequest: (voluntary + involuntary) / requests,
        rssMaxBytes: Math.max(...rss), rssMeanBytes: rss.reduce((x, y) => x + y, 0) / rss.length,
        cgroupVcpu: cgroupCpu / 1e6 / spanSeconds, throttledPeriods: 0, oomKills: 0,
        processNames: [...new Set(b.map((p) => p.comm))],
      }];
    }),
  );
}

function series(trial: OkTrial, pods: PodRecord[]): ResourcePoint[] {
  const { startEpochMs, endEpochMs } = trial.load.window;
  const inside = trial.resources.samples.filter((s) => s.epochMs >= startEpochMs && s.epochMs <= endEpochMs);
  const points: ResourcePoint[] = [];
  for (let i = 1; i < inside.length; i++) {
    const previous = inside[i - 1]!;
    const current = inside[i]!;
    const seconds = (current.epochMs - previous.epochMs) / 1000;
    for (const pod of pods) {
      for (const record of pod.containers) {
        const before = previous.containers[record.name]?.processes ?? [];
        const now = current.containers[record.name]?.processes ?? [];
        const total = (list: typeof now, pick: (p: (typeof now)[number]) => number) => list.reduce((sum, p) => sum + pick(p), 0);
        const switches = (list: typeof now) => total(list, (p) => p.voluntaryCtxSwitches + p.involuntaryCtxSwitches);
        points.push({
          round: trial.round, container: record.name, role: record.role, side: pod.side,
          tSeconds: (current.epochMs - startEpochMs) / 1000,
          vcpu: (total(now, (p) => p.cpuUs) - total(before, (p) => p.cpuUs)) / 1e6 / seconds,
          ctxSwitchesPerSecond: (switches(now) - switches(before)) / seconds,
          rssBytes: total(now, (p) => p.rssBytes),
        });
      }
    }
  }
  return points;
}

function meanResources(perTrial: ContainerWindowResources[][]): ContainerWindowResources[] {
  const first = perTrial[0] ?? [];
  return first.map((template) => {
    const same = perTrial.flatMap((list) => list.filter((r) => r.container === template.container));
    const mean = (pick: (r: ContainerWindowResources) => number) => same.reduce((sum, r) => sum + pick(r), 0) / same.length;
    return {
      ...template,
      spanSeconds: mean((r) => r.spanSeconds), cpuSeconds: mean((r) => r.cpuSeconds), vcpu: mean((r) => r.vcpu),
      vcpuPer1kRps: mean((r) => r.vcpuPer1kRps), cpuUsPerRequest: mean((r) => r.cpuUsPerRequest),
      voluntaryCtxSwitches: mean((r) => r.voluntaryCtxSwitches), involuntaryCtxSwitches: mean((r) => r.involuntaryCtxSwitches),
      ctxSwitchesPerSecond: mean((r) => r.ctxSwitchesPerSecond), ctxSwitchesPerSecondPerCore: mean((r) => r.ctxSwitchesPerSecondPerCore),
      ctxSwitchesPerRequest: mean((r) => r.ctxSwitchesPerRequest), rssMaxBytes: mean((r) => r.rssMaxBytes),
      rssMeanBytes: mean((r) => r.rssMeanBytes), cgroupVcpu: mean((r) => r.cgroupVcpu ?? 0),
    };
  });
}

export function summarizeFixture(results: Results): ResultsSummary {
  const baseline = results.topologies.some((t) => t.name === 'app-only') ? 'app-only' : undefined;
  const topologies: TopologySummary[] = results.topologies.map((record) => {
    const ok = results.trials.filter((t): t is OkTrial => t.state === 'ok' && t.topology === record.name);
    const failed = results.trials.filter((t) => t.state === 'failed' && t.topology === record.name);
    const windowSeconds = ok.reduce((sum, t) => sum + (t.load.window.endEpochMs - t.load.window.startEpochMs) / 1000, 0);
    const responses = ok.reduce((sum, t) => sum + t.load.responses, 0);
    const non2xx = ok.reduce((sum, t) => sum + Object.entries(t.load.statusCodes).filter(([code]) => !code.startsWith('2')).reduce((s, [, n]) => s + n, 0), 0);
    const connectionErrors = ok.reduce((sum, t) => sum + t.load.connectionErrors, 0);
    const timeouts = ok.reduce((sum, t) => sum + t.load.timeouts, 0);
    const merged = mergeEncoded(ok.map((t) => t.load.histograms.latencyUs));
    const trials: TrialSummary[] = ok.map((t) => {
      const seconds = (t.load.window.endEpochMs - t.load.window.startEpochMs) / 1000;
      const rps = t.load.responses / seconds;
      return {
        round: t.round, responses: t.load.responses, windowSeconds: seconds, rps,
        latency: summarizeUs(mergeEncoded([t.load.histograms.latencyUs])),
        resources: windowResources(t, record.pods, results.host.logicalCores, rps),
      };
    });
    const histograms = (pick: (t: OkTrial) => string) => ok.map(pick);
    return {
      topology: record.name, description: record.description, okTrials: ok.length, failedTrials: failed.length,
      failures: failed.map((t) => (t.state === 'failed' ? `round ${t.round}: ${t.error.message}` : '')),
      responses, windowSeconds, rps: responses / windowSeconds,
      errors: {
        connectionErrors, timeouts, non2xx, errorRate: (connectionErrors + timeouts + non2xx) / Math.max(1, responses + connectionErrors + timeouts),
        messages: [...new Set(ok.flatMap((t) => t.load.errorMessages))],
      },
      latency: summarizeUs(merged),
      percentileCurve: percentileCurveUs(merged),
      perRequest: {
        upstreamHeaderShare: ok.reduce((s, t) => s + t.load.headerCounts.upstreamServiceTime, 0) / Math.max(1, responses),
        appHeaderShare: ok.reduce((s, t) => s + t.load.headerCounts.appServiceTime, 0) / Math.max(1, responses),
        proxyOverheadUs: mergedSummary(histograms((t) => t.load.histograms.proxyOverheadUs)),
        networkAndProxiesUs: mergedSummary(histograms((t) => t.load.histograms.networkAndProxiesUs)),
        upstreamServiceTimeUs: mergedSummary(histograms((t) => t.load.histograms.upstreamServiceTimeUs)),
        appServiceTimeUs: mergedSummary(histograms((t) => t.load.histograms.appServiceTimeUs)),
      },
      trials,
      resources: meanResources(trials.map((t) => t.resources)),
      resourceSeries: ok.flatMap((t) => series(t, record.pods)),
    };
  });
  const base = topologies.find((t) => t.topology === baseline);
  if (base !== undefined) {
    for (const topology of topologies) {
      if (topology === base) continue;
      const overhead = {} as Record<LatencyStatistic, number>;
      for (const statistic of LATENCY_STATISTICS) overhead[statistic] = topology.latency[statistic] - base.latency[statistic];
      topology.overheadVsBaselineUs = overhead;
    }
  }
  return { baseline, topologies };
}
