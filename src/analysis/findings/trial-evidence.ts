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

/** One pod's conntrack over a trial: counters' growth from its first sample, the peak entry count, and when the table was in trouble. */
export interface ConntrackGrowth {
  /** Packets dropped because no entry could be made (the table full, nothing to evict): "table full, dropping packet". */
  drop: number;
  /** Entries evicted to make room for new ones (the table full, or the GC past 95 %). */
  earlyDrop: number;
  /** Entries that could not be inserted (also clashes of racing packets: not on its own a full table). */
  insertFailed: number;
  peakEntries: number;
  /** Epoch ms of the first and last sample where drops grew or the entries stood at `max`; absent when neither happened. */
  troubleWindow?: { startEpochMs: number; endEpochMs: number };
}

/** Per pod: conntrack counters' growth over the trial's samples, the peak entries, and when drops grew or the table stood at `max`. */
export function conntrackGrowth(samples: Samples, max?: number): Map<string, ConntrackGrowth> {
  const first = new Map<string, { drop: number; earlyDrop: number; insertFailed: number }>();
  const previousDrops = new Map<string, number>();
  const result = new Map<string, ConntrackGrowth>();
  for (const sample of samples) {
    for (const [pod, netns] of Object.entries(sample.pods ?? {})) {
      const ct = netns.conntrack;
      if (!ct) continue;
      if (!first.has(pod)) first.set(pod, { drop: ct.drop, earlyDrop: ct.earlyDrop, insertFailed: ct.insertFailed });
      const base = first.get(pod) as { drop: number; earlyDrop: number; insertFailed: number };
      const previous = result.get(pod);
      const drops = ct.drop + ct.earlyDrop;
      const trouble = drops > (previousDrops.get(pod) ?? drops) || (max !== undefined && max > 0 && ct.entries >= max);
      previousDrops.set(pod, drops);
      const window = trouble ? { startEpochMs: previous?.troubleWindow?.startEpochMs ?? sample.epochMs, endEpochMs: sample.epochMs } : previous?.troubleWindow;
      result.set(pod, {
        drop: ct.drop - base.drop,
        earlyDrop: ct.earlyDrop - base.earlyDrop,
        insertFailed: ct.insertFailed - base.insertFailed,
        peakEntries: Math.max(previous?.peakEntries ?? 0, ct.entries),
        ...(window ? { troubleWindow: window } : {}),
      });
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
