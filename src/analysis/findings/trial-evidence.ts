/**
 * Evidence read from one trial record: counters' growth over its samples, peaks of the netns
 * series, status and errno counts, and the proxies' termination records. Pure functions.
 */
import { attemptedRequests } from '../../load/agent-protocol.js';
import type { OkTrial, TrialProxyTerminations } from '../../results/schema.js';
import type { FindingEvidence } from './types.js';

type Samples = OkTrial['resources']['samples'];

/** The span of a trial's samples (warm-up included), or its measured window without samples. */
export function trialSpan(trial: OkTrial): { startEpochMs: number; endEpochMs: number } {
  const samples = trial.resources.samples;
  const first = samples[0];
  const last = samples[samples.length - 1];
  return first && last && last.epochMs > first.epochMs ? { startEpochMs: first.epochMs, endEpochMs: last.epochMs } : { ...trial.load.window };
}

/** Seconds the trial's samples span (at least 1 ms, so rates stay finite). */
export function spanSeconds(trial: OkTrial): number {
  const span = trialSpan(trial);
  return Math.max(0.001, (span.endEpochMs - span.startEpochMs) / 1000);
}

/** Growth of a cumulative cgroup counter of each container over the trial's samples (first to last reading). */
export function cgroupGrowth(samples: Samples, pick: (cgroup: Samples[number]['containers'][string]['cgroup']) => number | undefined): Map<string, number> {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const sample of samples) {
    for (const [container, reading] of Object.entries(sample.containers)) {
      const value = pick(reading.cgroup);
      if (value === undefined) continue;
      if (!first.has(container)) first.set(container, value);
      last.set(container, value);
    }
  }
  return new Map([...last].map(([container, value]) => [container, value - (first.get(container) ?? value)]));
}

/** Per pod: the largest count of sockets in a TCP state over the trial's samples. */
export function peakTcpState(samples: Samples, state: string): Map<string, number> {
  const peaks = new Map<string, number>();
  for (const sample of samples) {
    for (const [pod, netns] of Object.entries(sample.pods ?? {})) peaks.set(pod, Math.max(peaks.get(pod) ?? 0, netns.tcp[state] ?? 0));
  }
  return peaks;
}

/** Per pod: conntrack drops (drop + early_drop + insert_failed) over the trial, and the peak entry count. */
export function conntrackGrowth(samples: Samples): Map<string, { dropped: number; peakEntries: number }> {
  const first = new Map<string, number>();
  const result = new Map<string, { dropped: number; peakEntries: number }>();
  for (const sample of samples) {
    for (const [pod, netns] of Object.entries(sample.pods ?? {})) {
      if (!netns.conntrack) continue;
      const dropped = netns.conntrack.drop + netns.conntrack.earlyDrop + netns.conntrack.insertFailed;
      if (!first.has(pod)) first.set(pod, dropped);
      const previous = result.get(pod);
      result.set(pod, { dropped: dropped - (first.get(pod) as number), peakEntries: Math.max(previous?.peakEntries ?? 0, netns.conntrack.entries) });
    }
  }
  return result;
}

/** Responses with a status, in the main load, the closed check and saturation are not counted. */
export const statusCount = (trial: OkTrial, status: number): number => trial.load.statusCodes[String(status)] ?? 0;

/** Connection errors of the main load with one errno (see load/connect-errors.ts). */
export const errnoCount = (trial: OkTrial, errno: string): number => trial.load.connectErrorsByErrno?.[errno] ?? 0;

export const attempts = (trial: OkTrial): number => attemptedRequests(trial.load);

/** Requests the sidecars ended with one of `codes`, summed over pods, and the lines that go with them. */
export function terminations(trial: OkTrial, codes: readonly string[]): { count: number; byCode: Record<string, number>; records: TrialProxyTerminations[] } {
  const byCode: Record<string, number> = {};
  const records: TrialProxyTerminations[] = [];
  for (const record of trial.proxyTerminations ?? []) {
    let hit = false;
    for (const code of codes) {
      const count = record.counts[code] ?? 0;
      if (count > 0) {
        byCode[`${record.pod}:${code}`] = (byCode[`${record.pod}:${code}`] ?? 0) + count;
        hit = true;
      }
    }
    if (hit) records.push(record);
  }
  return { count: Object.values(byCode).reduce((sum, count) => sum + count, 0), byCode, records };
}

/** Log lines of the sidecars' records (a few distinct), optionally only those matching a pattern. */
export function proxyLines(records: readonly TrialProxyTerminations[], pattern?: RegExp, max = 3): string[] {
  const lines = records.flatMap((record) => record.lines.filter((line) => !pattern || pattern.test(line)).map((line) => `${record.pod} sidecar: ${line}`));
  return [...new Set(lines)].slice(0, max);
}

/** An evidence entry for one trial, spanning its samples. */
export function trialEvidence(trial: OkTrial, metric: string, values: FindingEvidence['values'], logLines?: string[]): FindingEvidence {
  return { arm: trial.topology, round: trial.round, metric, window: trialSpan(trial), values, ...(logLines && logLines.length > 0 ? { logLines } : {}) };
}
