/**
 * Capacity from a rate sweep (results.sweep): per topology, each step judged against the SLO, the
 * knee with its interval (knee.ts), and per sidecar container the cost per unit of work, fitted
 * over every trial that kept its rate with under 1 % errors:
 * - vCPU = idle + slope · achieved req/s (linear-fit.ts): slope × 1000 is vCPU per 1k req/s;
 * - RSS = base + growth · connections, where steps used different pools (sweep.connectionsPer1kRps);
 * - context switches per request and per second per core (median over trials, order-statistics CI);
 * each beside the seed's reference range.
 */
import type { Results } from '../results/schema.js';
import { findKnee, type KneeEstimate, type StepJudgement } from './knee.js';
import { fitLine, type FitInterval, type LinearFit } from './linear-fit.js';
import { DEFAULT_CONFIDENCE, estimateMedian, type MedianEstimate } from './statistics.js';
import { judgeTrials } from './sweep-steps.js';
import type { ContainerWindowResources, TopologySummary } from './types.js';

/** The seed's reference figures for one sidecar. */
export const SEED_SIDECAR = { vcpuPer1kRps: { low: 0.1, high: 0.5 }, rssMiB: { low: 128, high: 512 }, ctxSwitchesPerSecondPerCoreMax: 5000 } as const;

/** A step of one topology: the judgement plus what it ran with. */
export interface CapacityStep extends StepJudgement {
  step: number;
  connections: number;
  /** Median over trials of P50 (successful responses), µs. */
  p50Us: MedianEstimate;
}

/** One trial's point for the fits. */
export interface CostPoint {
  step: number;
  round: number;
  rps: number;
  connections: number;
  vcpu: number;
  rssBytes: number;
  ctxSwitchesPerSecondPerCore: number;
  ctxSwitchesPerRequest: number;
  throttledPeriods?: number;
}

export interface SidecarCost {
  container: string;
  pod: string;
  side: 'client' | 'server';
  points: CostPoint[];
  /** vCPU against achieved req/s; absent with fewer than 3 usable trials or one rate. */
  cpuFit?: LinearFit;
  /** The fit's slope × 1000, with its interval. */
  vcpuPer1kRps?: FitInterval;
  /** The fit's intercept: vCPU at no load. */
  idleVcpu?: FitInterval;
  /** RSS against the connection pool; absent when every step had the same pool. */
  rssFit?: LinearFit;
  /** Base RSS: the RSS fit's intercept, or the median peak RSS when the pool never changed. */
  rssBaseBytes: number;
  /** Growth per connection, bytes (from rssFit). */
  rssPerConnectionBytes?: FitInterval;
  rssPeakBytes: number;
  ctxSwitchesPerRequest: MedianEstimate;
  ctxSwitchesPerSecondPerCore: MedianEstimate;
  ctxSwitchesPerSecondPerCorePeak: number;
  /** CFS periods throttled over the sweep (only when the container's cgroup reported any). */
  throttledPeriods?: number;
}

export interface TopologyCapacity {
  topology: string;
  steps: CapacityStep[];
  knee: KneeEstimate;
  /** Why this topology's sweep ended. */
  stop: string;
  sidecars: SidecarCost[];
}

export interface CapacitySummary {
  slo: { p99Us: number; maxErrorRate: number };
  confidence: number;
  topologies: TopologyCapacity[];
  /** How the figures were made, in one paragraph for the report. */
  method: string;
}

export const CAPACITY_METHOD =
  'Each step ran every still-sweeping topology in interleaved rounds at one offered rate (open model). A step meets the SLO when the medians over its trials of P99 and of the error rate are within it; a trial that did not keep its rate counts as an infinite P99. ' +
  'The knee is the highest rate that, with every lower one, meets the SLO; its interval runs from the highest rate whose confidence intervals lie wholly within the SLO to the lowest above the knee whose interval lies wholly past it (joint coverage by Bonferroni). ' +
  'Cost per unit of work is a least-squares line through every trial that kept its rate with under 1 % errors: vCPU against achieved req/s (slope × 1000 = vCPU per 1k req/s, intercept = idle cost, Student-t intervals, residual standard error), and RSS against the connection pool where the pool changed between steps.';

function median(values: readonly number[]): number {
  return estimateMedian(values).median;
}

function sidecarCosts(topology: TopologySummary, stepOfRound: ReadonlyMap<number, number>, connectionsOfStep: ReadonlyMap<number, number>, usableRounds: ReadonlySet<number>, confidence: number): SidecarCost[] {
  const byContainer = new Map<string, { first: ContainerWindowResources; points: CostPoint[] }>();
  for (const trial of topology.trials) {
    const step = stepOfRound.get(trial.round);
    if (step === undefined || !usableRounds.has(trial.round)) continue;
    for (const resources of trial.resources) {
      if (resources.role !== 'sidecar') continue;
      const entry = byContainer.get(resources.container) ?? { first: resources, points: [] };
      entry.points.push({
        step,
        round: trial.round,
        rps: trial.rps,
        connections: connectionsOfStep.get(step) ?? 0,
        vcpu: resources.vcpu,
        rssBytes: resources.rssMaxBytes,
        ctxSwitchesPerSecondPerCore: resources.ctxSwitchesPerSecondPerCore,
        ctxSwitchesPerRequest: resources.ctxSwitchesPerRequest,
        ...(resources.throttledPeriods !== undefined ? { throttledPeriods: resources.throttledPeriods } : {}),
      });
      byContainer.set(resources.container, entry);
    }
  }
  return [...byContainer.values()].map(({ first, points }) => {
    const cpuFit = fitLine(points.map((point) => ({ x: point.rps, y: point.vcpu })), confidence);
    const pools = new Set(points.map((point) => point.connections));
    const rssFit = pools.size > 1 ? fitLine(points.map((point) => ({ x: point.connections, y: point.rssBytes })), confidence) : undefined;
    const throttled = points.reduce((sum, point) => sum + (point.throttledPeriods ?? 0), 0);
    return {
      container: first.container,
      pod: first.pod,
      side: first.side,
      points,
      ...(cpuFit
        ? {
            cpuFit,
            vcpuPer1kRps: { estimate: cpuFit.slope.estimate * 1000, low: cpuFit.slope.low * 1000, high: cpuFit.slope.high * 1000 },
            idleVcpu: cpuFit.intercept,
          }
        : {}),
      ...(rssFit ? { rssFit, rssPerConnectionBytes: rssFit.slope } : {}),
      rssBaseBytes: rssFit ? rssFit.intercept.estimate : median(points.map((point) => point.rssBytes)),
      rssPeakBytes: Math.max(0, ...points.map((point) => point.rssBytes)),
      ctxSwitchesPerRequest: estimateMedian(points.map((point) => point.ctxSwitchesPerRequest), confidence),
      ctxSwitchesPerSecondPerCore: estimateMedian(points.map((point) => point.ctxSwitchesPerSecondPerCore), confidence),
      ctxSwitchesPerSecondPerCorePeak: Math.max(0, ...points.map((point) => point.ctxSwitchesPerSecondPerCore)),
      ...(throttled > 0 ? { throttledPeriods: throttled } : {}),
    };
  });
}

/** The capacity section's figures, from results.json and its summary; undefined outside sweeps. */
export function summarizeCapacity(results: Results, topologies: readonly TopologySummary[], confidence = DEFAULT_CONFIDENCE): CapacitySummary | undefined {
  const sweep = results.sweep;
  if (!sweep) return undefined;
  const capacity = sweep.arms.flatMap((arm): TopologyCapacity[] => {
    const summary = topologies.find((topology) => topology.topology === arm.arm);
    if (!summary) return [];
    const armTrials = results.trials.filter((trial) => trial.topology === arm.arm && trial.step !== undefined);
    const stepOfRound = new Map(armTrials.map((trial) => [trial.round, trial.step as number]));
    const connectionsOfStep = new Map(arm.steps.map((step) => [step.step, step.connections]));
    const steps = arm.steps.flatMap((step): CapacityStep[] => {
      const trials = armTrials.filter((trial) => trial.step === step.step);
      if (trials.length === 0) return [];
      const p50s = summary.trials.filter((trial) => stepOfRound.get(trial.round) === step.step && trial.responses > 0).map((trial) => trial.latency.p50Us);
      return [{ ...judgeTrials(step.targetRps, trials, sweep.slo, confidence), step: step.step, connections: step.connections, p50Us: estimateMedian(p50s, confidence) }];
    });
    const usableRounds = new Set(summary.trials.filter((trial) => trial.latencyProblems.length === 0).map((trial) => trial.round));
    return [{ topology: arm.arm, steps, knee: findKnee(steps), stop: arm.stop, sidecars: sidecarCosts(summary, stepOfRound, connectionsOfStep, usableRounds, confidence) }];
  });
  return { slo: { ...sweep.slo }, confidence, topologies: capacity, method: CAPACITY_METHOD };
}
