import { BPF_COUNTER_NAMES, type BpfCounters, type OkTrial, type Results } from '../results/schema.js';
import { pairedOverhead, perRoundStatistic, type EstimatesByStatistic } from './estimators.js';
import { estimateMedian, pairedDifferences, type MedianEstimate } from './statistics.js';
import type { ResultsSummary, TrialSummary } from './types.js';
import { sidecarVcpuPer1kRps } from './sidecar-cost.js';

/**
 * Published claims for socket-level redirection on one host, for the reader to set the measured
 * saving against: Intel's istio-tcpip-bypass and merbridge report roughly 5 % to 15–20 % lower
 * latency than the iptables sidecar path.
 */
export const PUBLISHED_EBPF_LATENCY_SAVING = [0.05, 0.2] as const;

/** One eBPF arm set against the iptables sidecar it replaces. */
export interface EbpfArmSummary {
  arm: string;
  /** Mechanisms the arm ran (from results.json's topology record). */
  sockmap: boolean;
  connect: boolean;
  /** arm − reference, paired by round; a saving is a negative value. */
  latencyDelta: EstimatesByStatistic;
  /** The same as a share of the reference's percentile, per round: −0.1 = 10 % lower. */
  relativeP50: MedianEstimate;
  relativeP99: MedianEstimate;
  /** Sum over the sidecars of vCPU per 1k RPS: the arm's, and arm − reference paired by round. */
  sidecarVcpuPer1kRps: { arm: MedianEstimate; delta: MedianEstimate };
  /** Counter increments summed over the ok trials. */
  counters: BpfCounters;
  /** Messages moved socket to socket per successful response (6 when every hop of request and response was redirected). */
  redirectedPerResponse: number;
  /** Trials that failed because the programs did nothing (SB_BPF_INACTIVE). */
  inactiveTrials: number;
}

export interface EbpfSummary {
  /** The iptables arm the eBPF arms are compared with ("sidecar"). */
  reference: string;
  loadDescription: string;
  arms: EbpfArmSummary[];
}

const okTrials = (results: Results, arm: string) => results.trials.filter((trial): trial is OkTrial => trial.state === 'ok' && trial.topology === arm);

function byRound<T extends { round: number }>(items: readonly T[], value: (item: T) => number | undefined): Map<number, number> {
  const values = new Map<number, number>();
  for (const item of items) {
    const v = value(item);
    if (v !== undefined && Number.isFinite(v)) values.set(item.round, v);
  }
  return values;
}

const sidecarVcpuPer1k = (trial: TrialSummary) => sidecarVcpuPer1kRps(trial) ?? 0;

/** Per round, arm ÷ reference − 1 of one latency percentile. */
function relative(arm: readonly OkTrial[], reference: readonly OkTrial[], statistic: 'p50Us' | 'p99Us'): MedianEstimate {
  const referenceByRound = perRoundStatistic(reference, 'latencyUs', statistic);
  const ratios = [...perRoundStatistic(arm, 'latencyUs', statistic)].flatMap(([round, value]) => {
    const base = referenceByRound.get(round);
    return base !== undefined && base > 0 ? [value / base - 1] : [];
  });
  return estimateMedian(ratios);
}

/**
 * What each eBPF arm of a run saves against the iptables sidecar, measured in the same run and
 * paired by round; undefined when the run has no eBPF arm or no reference arm.
 */
export function summarizeEbpf(results: Results, summary: ResultsSummary, reference = 'sidecar'): EbpfSummary | undefined {
  const ebpfArms = results.topologies.filter((topology) => topology.bpf !== undefined);
  const referenceTrials = okTrials(results, reference);
  if (ebpfArms.length === 0 || referenceTrials.length === 0) return undefined;
  const load = results.scenario.load as { model?: string; ratePerSecond?: number; connections?: number } | undefined;
  const loadDescription = load?.model === 'open' ? `at ${load.ratePerSecond}/s (open model)` : `at ${load?.connections} connections (closed model)`;
  const trialsOf = (arm: string) => summary.topologies.find((topology) => topology.topology === arm)?.trials ?? [];
  const referenceVcpu = byRound(trialsOf(reference), sidecarVcpuPer1k);
  const arms = ebpfArms.map((topology): EbpfArmSummary => {
    const trials = okTrials(results, topology.name);
    const vcpu = byRound(trialsOf(topology.name), sidecarVcpuPer1k);
    const counters = Object.fromEntries(BPF_COUNTER_NAMES.map((name) => [name, trials.reduce((sum, trial) => sum + (trial.bpf?.counters[name] ?? 0), 0)])) as BpfCounters;
    const responses = trials.reduce((sum, trial) => sum + trial.load.responses, 0);
    return {
      arm: topology.name,
      sockmap: topology.bpf?.sockmap ?? false,
      connect: topology.bpf?.connect ?? false,
      latencyDelta: pairedOverhead(trials, referenceTrials, 'latencyUs'),
      relativeP50: relative(trials, referenceTrials, 'p50Us'),
      relativeP99: relative(trials, referenceTrials, 'p99Us'),
      sidecarVcpuPer1kRps: { arm: estimateMedian([...vcpu.values()]), delta: estimateMedian(pairedDifferences(vcpu, referenceVcpu)) },
      counters,
      redirectedPerResponse: responses > 0 ? counters.messagesRedirected / responses : 0,
      inactiveTrials: results.trials.filter((trial) => trial.topology === topology.name && trial.state === 'failed' && trial.error.code === 'SB_BPF_INACTIVE').length,
    };
  });
  return { reference, loadDescription, arms };
}
