import type { LatencySummaryUs } from '../hdr/histogram.js';
import type { ResourceAmounts } from '../kubernetes/index.js';
import type { ContainerRole } from '../results/schema.js';
import type { EstimatesByStatistic, OverheadEstimators } from './estimators.js';
import type { OpenModelSummary } from './open-model.js';
import type { CalibrationSummary } from './calibration.js';
import type { MtlsSummary } from './mtls.js';
import type { EbpfSummary } from './ebpf.js';
import type { ClosedCheckSummary } from './closed-check.js';
import type { SaturationSummary } from './saturation.js';
import type { Finding } from './findings/index.js';
import type { CapacitySummary } from './capacity.js';

export const LATENCY_STATISTICS = ['p50Us', 'p90Us', 'p99Us', 'p999Us', 'maxUs'] as const;
export type LatencyStatistic = (typeof LATENCY_STATISTICS)[number];

/** Resources of one container over one trial's measured window. */
export interface ContainerWindowResources {
  container: string;
  pod: string;
  side: 'client' | 'server';
  role: ContainerRole;
  /** The container's Kubernetes requests and limits (CPU millicores, memory bytes); absent: unconstrained. */
  resources?: { requests: ResourceAmounts; limits: ResourceAmounts };
  /** Seconds between the first and last sample inside the window (rates are over this span). */
  spanSeconds: number;
  /** Process CPU (utime+stime) summed over the container's processes. */
  cpuSeconds: number;
  /** Average cores busy: cpuSeconds / spanSeconds. */
  vcpu: number;
  vcpuPer1kRps: number;
  cpuUsPerRequest: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  ctxSwitchesPerSecond: number;
  /** Per core the container may run on (its cpuset, else every host core). */
  ctxSwitchesPerSecondPerCore: number;
  ctxSwitchesPerRequest: number;
  rssMaxBytes: number;
  rssMeanBytes: number;
  /** From the container's cgroup, where readable. */
  cgroupVcpu?: number;
  /** CFS periods that elapsed in the window (cpu.stat nr_periods; only under a CPU limit). */
  cfsPeriods?: number;
  /** Of those, periods in which the container used up its quota and waited (nr_throttled). */
  throttledPeriods?: number;
  /** throttledPeriods / cfsPeriods: the share Prometheus' CPUThrottlingHigh alert watches (fires at 25 %). */
  throttledPeriodShare?: number;
  /** Time spent throttled in the window, µs, and per second of window (ms/s). */
  throttledUs?: number;
  throttledMsPerSecond?: number;
  oomKills?: number;
  /** Command names of the processes seen, e.g. ["haproxy"]. */
  processNames: string[];
}

/** One point of a resource time series, relative to the start of the measured window. */
export interface ResourcePoint {
  round: number;
  container: string;
  role: ContainerRole;
  side: 'client' | 'server';
  tSeconds: number;
  vcpu: number;
  ctxSwitchesPerSecond: number;
  rssBytes: number;
}

export interface TrialSummary {
  round: number;
  /** Successful (2xx) responses: what latency and throughput describe. */
  responses: number;
  /** Every request the window accounts for (answered or failed). */
  attempts: number;
  /** Requests without a 2xx answer. */
  failed: number;
  /** Why this trial's latency means nothing (too many failures, rate not kept); empty when it is sound. */
  latencyProblems: string[];
  /** Open model: why the trial did not keep its rate; absent when it did (or is closed). */
  unkeptRate?: string;
  windowSeconds: number;
  rps: number;
  latency: LatencySummaryUs;
  resources: ContainerWindowResources[];
}

export interface TopologySummary {
  topology: string;
  description: string;
  /**
   * The arm this one's overheads are measured against, when not the run's baseline: for an arm
   * speaking another protocol than the run's, the app-only arm speaking it.
   */
  baseline?: string;
  /** What the arm's load spoke, when not HTTP/1.1 (results.json topologies[].protocol). */
  protocol?: string;
  okTrials: number;
  failedTrials: number;
  failures: string[];
  /** Successful (2xx) responses over the ok trials. */
  responses: number;
  windowSeconds: number;
  /** Successful responses per second. */
  rps: number;
  errors: {
    connectionErrors: number;
    timeouts: number;
    /** Requests sent in the window with no answer when the agent stopped waiting. */
    unansweredAtEnd: number;
    non2xx: number;
    /** Every request the windows account for: successes plus failures. */
    attempts: number;
    /** Failed requests / attempts. */
    errorRate: number;
    messages: string[];
    /** How long the failed requests took, where known (never part of the latency figures). */
    failedLatency?: LatencySummaryUs;
  };
  /** Trials whose latency means nothing, as "round N: reason"; latency and overhead gates on them fail. */
  latencyProblems: string[];
  /** Latencies beyond the histogram's 60 s range (recorded at 60 s; a percentile there means "at least"). */
  latenciesAboveRange: number;
  /** All ok trials' histograms of successful responses merged (pooled figures). */
  latency: LatencySummaryUs;
  /** Per statistic, the median over trials of each trial's figure, with a confidence interval. */
  latencyOverTrials: EstimatesByStatistic;
  percentileCurve: { percentile: number; valueUs: number }[];
  /** The overhead over the baseline by each estimator, paired by round; absent for the baseline. */
  estimators?: OverheadEstimators;
  /** load.saturation: the throughput ceiling, its own figure (never an overhead). */
  saturation?: SaturationSummary;
  /** load.closedCheck: the same pods under a closed loop after each trial, and whether the headline agrees. */
  closedCheck?: ClosedCheckSummary;
  /** Open model: the schedule, whether it was kept, and the uncorrected figures. */
  open?: OpenModelSummary;
  perRequest: {
    /** Share of responses that carried each header. */
    upstreamHeaderShare: number;
    appHeaderShare: number;
    /** Client latency − x-envoy-upstream-service-time (ms resolution): the nearest proxy's own time. */
    proxyOverheadUs?: LatencySummaryUs;
    /** Client latency − x-app-service-time-us: network and every proxy, µs resolution. */
    networkAndProxiesUs?: LatencySummaryUs;
    upstreamServiceTimeUs?: LatencySummaryUs;
    appServiceTimeUs?: LatencySummaryUs;
  };
  trials: TrialSummary[];
  /** Per container, the mean over ok trials. */
  resources: ContainerWindowResources[];
  resourceSeries: ResourcePoint[];
}

export interface ResultsSummary {
  /** The topology every overhead is measured against ("app-only" when the run has it). */
  baseline?: string;
  topologies: TopologySummary[];
  /** How the per-trial confidence intervals are made, in one sentence for the report. */
  ciMethod: string;
  /** Present for a calibration run. */
  calibration?: CalibrationSummary;
  /** Present when the run has the mtls topology and the plaintext sidecar to compare it with. */
  mtls?: MtlsSummary;
  /** Present when the run has eBPF arms and the iptables sidecar to compare them with. */
  ebpf?: EbpfSummary;
  /** The seed's troubleshooting symptoms seen in the run, with evidence (analysis/findings); [] for a healthy run. */
  findings?: Finding[];
  /** Present for a capacity run (scenario sweep:): knees, fitted costs per unit of work. */
  capacity?: CapacitySummary;
}
