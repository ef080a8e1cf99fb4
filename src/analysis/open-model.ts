import { mergeEncoded, summarizeUs, type LatencySummaryUs } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';

/** Above this share of scheduled requests left unsent, the rate was not sustained. */
export const MAX_UNSENT_SHARE = 0.001;
/**
 * Below this share of the scheduled requests actually sent, the rate was not sustained. The
 * schedule, not the target, is the reference: Poisson arrivals draw a different count every round
 * (2000 ± 45 in 2 s at 1000/s), so a round whose draw came out 1.5 % short kept its rate exactly.
 */
export const MIN_SENT_RATE_SHARE = 0.99;

/** True when fewer than MIN_SENT_RATE_SHARE of the scheduled requests were sent. */
export function sentShortOfSchedule(sent: number, scheduled: number): boolean {
  return scheduled > 0 && sent < scheduled * MIN_SENT_RATE_SHARE;
}
/** Send lag P99 above this means sends went out noticeably late. */
export const MAX_SEND_LAG_P99_US = 1000;
/** Above this share of sends waiting for a busy connection, the system fell behind. */
export const MAX_WAITED_SHARE = 0.01;

export interface OpenModelSummary {
  targetRps: number;
  /** Requests actually sent per second of the measured windows. */
  sentRps: number;
  scheduled: number;
  sent: number;
  unsent: number;
  waitedForConnection: number;
  sendLag: LatencySummaryUs;
  /** The latency a closed-loop tool would have reported (from the actual send). */
  uncorrectedLatency: LatencySummaryUs;
  /** True when the schedule was kept: the figures describe the target rate. */
  sustained: boolean;
  /** Plain sentences: why the rate was not sustained, or what was late. */
  findings: string[];
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`;

export function summarizeOpenModel(trials: readonly OkTrial[]): OpenModelSummary | undefined {
  const open = trials.flatMap((trial) => (trial.load.open ? [{ trial, stats: trial.load.open }] : []));
  if (open.length === 0) return undefined;
  const sum = (pick: (stats: NonNullable<OkTrial['load']['open']>) => number) => open.reduce((total, { stats }) => total + pick(stats), 0);
  const seconds = open.reduce((total, { trial }) => total + (trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000, 0);
  const targetRps = open[0]?.stats.targetRps as number;
  const scheduled = sum((stats) => stats.scheduled);
  const sent = sum((stats) => stats.sent);
  const unsent = sum((stats) => stats.unsent);
  const waitedForConnection = sum((stats) => stats.waitedForConnection);
  const sendLag = summarizeUs(mergeEncoded(trials.flatMap((trial) => trial.load.histograms.sendLagUs ?? [])));
  const uncorrectedLatency = summarizeUs(mergeEncoded(trials.flatMap((trial) => trial.load.histograms.uncorrectedLatencyUs ?? [])));
  const sentRps = seconds > 0 ? sent / seconds : 0;

  const findings: string[] = [];
  let sustained = true;
  if (scheduled > 0 && unsent / scheduled > MAX_UNSENT_SHARE) {
    sustained = false;
    findings.push(`${unsent} of ${scheduled} scheduled requests (${percent(unsent / scheduled)}) could not be sent: the rate of ${targetRps}/s was not sustained.`);
  }
  if (sentShortOfSchedule(sent, scheduled)) {
    sustained = false;
    findings.push(`Only ${sentRps.toFixed(0)}/s were sent of the ${(seconds > 0 ? scheduled / seconds : 0).toFixed(0)}/s scheduled (target ${targetRps}/s).`);
  }
  if (sent > 0 && waitedForConnection / sent > MAX_WAITED_SHARE) {
    findings.push(`${percent(waitedForConnection / sent)} of requests waited for a free connection: the system under test fell behind the schedule (their wait is in the latency).`);
  }
  if (sendLag.p99Us > MAX_SEND_LAG_P99_US) {
    findings.push(`Send lag P99 is ${(sendLag.p99Us / 1000).toFixed(2)} ms: 1 % of requests left more than that after their scheduled time (the wait counts in their latency).`);
  }
  const gc = open.flatMap(({ trial }) => (trial.load.loadgenGc ? [trial.load.loadgenGc] : []));
  const gcPauses = gc.reduce((total, entry) => total + entry.pauses, 0);
  if (gcPauses > 0) {
    const maxMs = Math.max(...gc.map((entry) => entry.maxMs));
    const trialsWithGc = gc.filter((entry) => entry.pauses > 0).length;
    findings.push(`The load generator collected garbage ${gcPauses} times while measuring (${trialsWithGc} of ${open.length} trials, longest pause ${maxMs.toFixed(1)} ms): requests due or answered then were charged for its pause.`);
  }
  return { targetRps, sentRps, scheduled, sent, unsent, waitedForConnection, sendLag, uncorrectedLatency, sustained, findings };
}
