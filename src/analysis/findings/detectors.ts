/**
 * One detector per symptom of the seed's matrix. Each reads one trial and returns its evidence, or
 * nothing. Thresholds are set so that a healthy run (every request answered by a reachable app
 * without limits) shows none: a false alarm is a defect.
 */
import { decodeHistogram } from '../../hdr/histogram.js';
import { failedRequests } from '../../load/agent-protocol.js';
import type { OkTrial, TrialRecord } from '../../results/schema.js';
import type { FindingKind } from './catalog.js';
import { attempts, cgroupGrowth, conntrackGrowth, errnoCount, peakTcpState, proxyLines, spanSeconds, statusCount, terminations, trialEvidence, trialSpan } from './trial-evidence.js';
import type { FindingEvidence } from './types.js';

/** The seed's "high latency" line: P99 above 100 ms. */
export const HIGH_LATENCY_P99_US = 100_000;
/** Throttled in at least this share of CFS periods is a finding: what Prometheus' CPUThrottlingHigh alert fires at. */
export const THROTTLED_PERIOD_SHARE = 0.25;
/** Without the periods counted: throttled for at least this share of wall time (1 %: 10 ms per second). */
export const THROTTLED_SHARE = 0.01;
/** Resets and early closes are a finding from this share of attempts (a stray one is not a fault). */
export const RESET_SHARE = 0.001;
/** Full handshakes per request at or above this: most requests paid one. */
export const CHURN_HANDSHAKES_PER_REQUEST = 0.5;

/** HAProxy termination states (first two chars of %tsc) and Envoy response flags, by what they mean. */
export const TIMEOUT_CODES = ['sH', 'UT'] as const;
export const CONNECT_ERROR_CODES = ['SC', 'sC', 'SH', 'SD', 'UF', 'UC', 'URX', 'UH', 'UR'] as const;
/** What a proxy logs when connect() fails with EADDRNOTAVAIL. */
export const NO_FREE_PORTS = /no free ports|cannot assign requested address|EADDRNOTAVAIL|errno[ =:]*99\b/i;
/** HAProxy's "Out of memory" alert and the kernel's reason in an error message. */
const OOM_TEXT = /OOMKilled|out of memory|oom[- ]kill/i;

type FailedTrial = Extract<TrialRecord, { state: 'failed' }>;

export interface Detector {
  kind: FindingKind;
  ok?(trial: OkTrial): FindingEvidence[];
  failed?(trial: FailedTrial): FindingEvidence[];
}

const portExhaustion = (trial: OkTrial): FindingEvidence[] => {
  const errno = errnoCount(trial, 'EADDRNOTAVAIL');
  const lines = proxyLines(trial.proxyTerminations ?? [], NO_FREE_PORTS);
  if (errno === 0 && lines.length === 0) return [];
  const timeWait = peakTcpState(trial.resources.samples, 'TIME_WAIT');
  const peaks = Object.fromEntries([...timeWait].map(([pod, peak]) => [`timeWaitPeak[${pod}]`, peak]));
  return [trialEvidence(trial, errno > 0 ? 'load.connectErrorsByErrno.EADDRNOTAVAIL' : 'proxyTerminations.lines', { eaddrnotavail: errno, attempts: attempts(trial), ...peaks }, lines)];
};

/**
 * A pod whose conntrack table was full: packets dropped for want of an entry, entries evicted to
 * make room, or the count at the host's nf_conntrack_max. insert_failed alone is not (racing
 * packets clash too); it is reported beside the others. The window is when the trouble was seen.
 */
const conntrackFull = (trial: OkTrial): FindingEvidence[] => {
  const max = trial.resources.conntrackMax;
  const startMs = trialSpan(trial).startEpochMs;
  return [...conntrackGrowth(trial.resources.samples, max)]
    .filter(([, growth]) => growth.drop > 0 || growth.earlyDrop > 0 || (max !== undefined && max > 0 && growth.peakEntries >= max))
    .map(([pod, growth]) => {
      const kernel = trial.kernelLog?.find((entry) => entry.pod === pod);
      const values = {
        pod,
        drop: growth.drop,
        earlyDrop: growth.earlyDrop,
        insertFailed: growth.insertFailed,
        peakEntries: growth.peakEntries,
        ...(max !== undefined ? { conntrackMax: max, peakPercentOfMax: Math.round((1000 * growth.peakEntries) / max) / 10 } : {}),
        ...(growth.troubleWindow ? { firstSeenAfterMs: growth.troubleWindow.startEpochMs - startMs } : {}),
        attempts: attempts(trial),
        failed: failedRequests(trial.load),
        ...(kernel ? { kernelTableFullMessages: kernel.tableFullMessages } : {}),
      };
      const lines = kernel?.lines.map((line) => `kernel (netns ${kernel.netns}): ${line}`);
      return { ...trialEvidence(trial, `pods.${pod}.conntrack`, values, lines), ...(growth.troubleWindow ? { window: growth.troubleWindow } : {}) };
    });
};

export const DETECTORS: readonly Detector[] = [
  {
    kind: 'upstream-timeout',
    ok(trial) {
      const responses504 = statusCount(trial, 504);
      const byProxy = terminations(trial, TIMEOUT_CODES);
      if (responses504 === 0 && byProxy.count === 0) return [];
      return [trialEvidence(trial, 'load.statusCodes[504]', { responses504, attempts: attempts(trial), ...byProxy.byCode }, proxyLines(byProxy.records))];
    },
  },
  {
    kind: 'upstream-connect-error',
    ok(trial) {
      // Refused or failed connects through a port-exhausted pod, or one whose conntrack table dropped
      // the connects' packets, are that finding's, not this one's.
      if (portExhaustion(trial).length > 0 || conntrackFull(trial).length > 0) return [];
      const refused = errnoCount(trial, 'ECONNREFUSED');
      const resets = errnoCount(trial, 'ECONNRESET') + errnoCount(trial, 'closed-before-response');
      const byProxy = terminations(trial, CONNECT_ERROR_CODES);
      const resetsCount = resets >= Math.max(1, RESET_SHARE * attempts(trial)) ? resets : 0;
      if (refused === 0 && resetsCount === 0 && byProxy.count === 0) return [];
      return [
        trialEvidence(
          trial,
          byProxy.count > 0 ? 'proxyTerminations.counts' : 'load.connectErrorsByErrno',
          { responses503: statusCount(trial, 503), responses502: statusCount(trial, 502), econnrefused: refused, resets, attempts: attempts(trial), ...byProxy.byCode },
          proxyLines(byProxy.records),
        ),
      ];
    },
  },
  {
    kind: 'oom-killed',
    ok(trial) {
      return [...cgroupGrowth(trial.resources.samples, (cgroup) => cgroup.oomKills)]
        .filter(([, kills]) => kills > 0)
        .map(([container, kills]) => trialEvidence(trial, `cgroup.oomKills[${container}]`, { container, oomKills: kills }));
    },
    failed(trial) {
      // The runner's record (State.OOMKilled of each container), else the error's words.
      if (trial.oomKills && trial.oomKills.length > 0) {
        return trial.oomKills.map((kill) => ({
          arm: trial.topology,
          round: trial.round,
          metric: 'trial.oomKills',
          values: { container: kill.container, role: kill.role, exitCode: kill.exitCode, ...(kill.memoryLimitBytes !== undefined ? { memoryLimitBytes: kill.memoryLimitBytes } : {}), ...(kill.cgroupOomKills !== undefined ? { cgroupOomKills: kill.cgroupOomKills } : {}) },
          logLines: [trial.error.message.slice(0, 300)],
        }));
      }
      const text = `${trial.error.code ?? ''} ${trial.error.message}`;
      if (!OOM_TEXT.test(text) && trial.error.code !== 'SB_OOM_KILLED') return [];
      return [{ arm: trial.topology, round: trial.round, metric: 'trial.error', values: { ...(trial.error.code ? { code: trial.error.code } : {}) }, logLines: [trial.error.message.slice(0, 300)] }];
    },
  },
  {
    kind: 'cpu-throttling',
    ok(trial) {
      const seconds = spanSeconds(trial);
      const throttled = cgroupGrowth(trial.resources.samples, (cgroup) => cgroup.throttledPeriods);
      const periods = cgroupGrowth(trial.resources.samples, (cgroup) => cgroup.cfsPeriods);
      return [...cgroupGrowth(trial.resources.samples, (cgroup) => cgroup.throttledUs)].flatMap(([container, throttledUs]) => {
        const total = periods.get(container);
        const share = total !== undefined && total > 0 ? (throttled.get(container) ?? 0) / total : undefined;
        const shown = share === undefined ? throttledUs / 1e6 / seconds >= THROTTLED_SHARE : share >= THROTTLED_PERIOD_SHARE;
        if (!shown) return [];
        return [
          trialEvidence(trial, `cgroup.throttledUs[${container}]`, {
            container,
            throttledMsPerSecond: Math.round(throttledUs / 1000 / seconds),
            throttledPeriods: throttled.get(container) ?? 0,
            ...(share !== undefined ? { cfsPeriods: total as number, throttledPeriodPercent: Math.round(share * 1000) / 10 } : {}),
          }),
        ];
      });
    },
  },
  {
    kind: 'high-latency',
    ok(trial) {
      // Beyond the app's own time (network + proxies), so a deliberately slow app is not the mesh's fault.
      const latency = decodeHistogram(trial.load.histograms.latencyUs);
      if (latency.totalCount === 0) return [];
      const p99Us = latency.getValueAtPercentile(99);
      const mesh = decodeHistogram(trial.load.histograms.networkAndProxiesUs);
      const meshP99Us = mesh.totalCount > 0 ? mesh.getValueAtPercentile(99) : p99Us;
      if (p99Us <= HIGH_LATENCY_P99_US || meshP99Us <= HIGH_LATENCY_P99_US) return [];
      return [trialEvidence(trial, 'load.histograms.latencyUs p99', { p99Us, networkAndProxiesP99Us: meshP99Us, thresholdUs: HIGH_LATENCY_P99_US })];
    },
  },
  {
    kind: 'certificate-verify-failed',
    ok(trial) {
      const failures = trial.tls?.handshakeFailures ?? [];
      return failures.length > 0 ? [trialEvidence(trial, 'tls.handshakeFailures', { failures: failures.length }, failures.slice(0, 5))] : [];
    },
  },
  { kind: 'port-exhaustion', ok: portExhaustion },
  {
    kind: 'conntrack-full',
    ok: conntrackFull,
  },
  {
    kind: 'handshake-churn',
    ok(trial) {
      const tls = trial.tls;
      const requests = attempts(trial);
      if (!tls || requests === 0) return [];
      // Counters span warm-up + window; the load's attempts only the window: compare rates.
      const windowSeconds = Math.max(0.001, (trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000);
      const full = tls.serverFullHandshakes ?? (tls.frontendSessionReusePercent !== undefined && tls.frontendSessionReusePercent >= 50 ? 0 : tls.serverTlsConnections);
      const perRequest = full / tls.spanSeconds / (requests / windowSeconds);
      if (perRequest < CHURN_HANDSHAKES_PER_REQUEST) return [];
      return [
        trialEvidence(trial, tls.serverFullHandshakes !== undefined ? 'tls.serverFullHandshakes' : 'tls.serverTlsConnections', {
          fullHandshakesPerSecond: Math.round(full / tls.spanSeconds),
          requestsPerSecond: Math.round(requests / windowSeconds),
          fullHandshakesPerRequest: Math.round(perRequest * 100) / 100,
          ...(tls.serverResumedHandshakes !== undefined ? { resumedHandshakes: tls.serverResumedHandshakes } : {}),
        }),
      ];
    },
  },
];
