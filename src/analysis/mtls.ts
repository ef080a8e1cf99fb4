import { failedRequests } from '../load/agent-protocol.js';
import type { OkTrial, Results } from '../results/schema.js';
import { pairedOverhead, perRoundStatistic, type EstimatesByStatistic } from './estimators.js';
import { estimateMedian, pairedDifferences, type MedianEstimate } from './statistics.js';
import type { ResultsSummary, TrialSummary } from './types.js';

/** The seed's claim: strict mTLS costs 10–15 % of maximum throughput on AES-NI hardware. */
export const SEED_MTLS_THROUGHPUT_DROP = [0.1, 0.15] as const;

export type HandshakeKind = 'full' | 'resumed' | 'mixed' | 'unknown';

/** Below this share of resumed handshakes the churn arm prices full handshakes; above 1 − it, resumed ones. */
export const HANDSHAKE_KIND_TOLERANCE = 0.05;

/** Which handshakes a churn arm made, from the median share that resumed. */
export function handshakeKind(resumedShare: number | undefined): HandshakeKind {
  if (resumedShare === undefined || !Number.isFinite(resumedShare)) return 'unknown';
  if (resumedShare <= HANDSHAKE_KIND_TOLERANCE) return 'full';
  if (resumedShare >= 1 - HANDSHAKE_KIND_TOLERANCE) return 'resumed';
  return 'mixed';
}

export interface MtlsSummary {
  reference: string;
  arm: string;
  identity: NonNullable<Results['mtls']>;
  /** mtls − reference latency, paired by round, at the run's main load. */
  latencyDelta: EstimatesByStatistic;
  /** "at 1000/s (open model)" or "at 16 connections (closed model)". */
  loadDescription: string;
  saturation?: { referenceRps: MedianEstimate; mtlsRps: MedianEstimate; throughputDrop: MedianEstimate };
  /** Sum over the sidecars of vCPU per 1k RPS: reference, mtls, and their paired difference. */
  sidecarVcpuPer1kRps: { reference: MedianEstimate; mtls: MedianEstimate; delta: MedianEstimate };
  handshakes?: {
    churnArm: string;
    perSecond: MedianEstimate;
    keepAlivePerSecond: MedianEstimate;
    /** Extra sidecar CPU of the churn arm over the keep-alive arm, per handshake, paired by round. */
    cpuUsPerHandshake: MedianEstimate;
    /** P50 when every request opens a new TLS connection (a first request) vs when it reuses one. */
    firstRequestP50Us: MedianEstimate;
    steadyP50Us: MedianEstimate;
    firstRequestPenaltyUs: MedianEstimate;
    sessionReusePercent?: number;
    /** The scenario's mtls.sessionResumption: false asks for full handshakes only. */
    sessionResumption: boolean;
    /** Inbound handshakes per second by kind, from the server sidecar's counters (when its proxy counts them). */
    fullPerSecond?: MedianEstimate;
    resumedPerSecond?: MedianEstimate;
    /** Share of the churn arm's inbound handshakes that resumed a session. */
    resumedShare?: MedianEstimate;
    /**
     * What cpuUsPerHandshake prices, from the counters: `full` when at most 5 % of the handshakes
     * resumed, `resumed` when at least 95 % did, else `mixed`; `unknown` without counters.
     */
    kind: HandshakeKind;
  };
  rotation?: {
    rotations: number;
    failedRotations: string[];
    /** Errors in the trials that rotated (load errors of any kind). */
    failedRequests: number;
    /** Latency second by second around the first rotation (t = 0 is the swap's second). */
    around: { t: number; p50Us: number; p99Us: number; errors: number }[];
  };
}

const okTrials = (results: Results, arm: string) => results.trials.filter((trial): trial is OkTrial => trial.state === 'ok' && trial.topology === arm);
const trialsOf = (summary: ResultsSummary, arm: string) => summary.topologies.find((topology) => topology.topology === arm)?.trials ?? [];

function byRound<T extends { round: number }>(items: readonly T[], value: (item: T) => number | undefined): Map<number, number> {
  const values = new Map<number, number>();
  for (const item of items) {
    const v = value(item);
    if (v !== undefined && Number.isFinite(v)) values.set(item.round, v);
  }
  return values;
}

const sidecarSum = (trial: TrialSummary, pick: (resources: TrialSummary['resources'][number]) => number) =>
  trial.resources.filter((container) => container.role === 'sidecar').reduce((sum, container) => sum + pick(container), 0);

const handshakesPerSecond = (trial: OkTrial) => (trial.tls ? trial.tls.serverTlsConnections / trial.tls.spanSeconds : undefined);

function rotationSummary(results: Results, arms: readonly string[]): MtlsSummary['rotation'] {
  const rotated = results.trials.filter((trial): trial is OkTrial => trial.state === 'ok' && arms.includes(trial.topology) && (trial.tls?.rotations.length ?? 0) > 0);
  if (rotated.length === 0) return undefined;
  const rotations = rotated.flatMap((trial) => trial.tls?.rotations ?? []);
  const first = rotated[0] as OkTrial;
  const swapSecond = Math.floor(((first.tls?.rotations[0]?.epochMs ?? 0) - first.load.window.startEpochMs) / 1000);
  const around = (first.load.timeline ?? [])
    .filter((point) => Math.abs(point.second - swapSecond) <= 3)
    .map((point) => ({ t: point.second - swapSecond, p50Us: point.p50Us, p99Us: point.p99Us, errors: point.errors }));
  return {
    rotations: rotations.length,
    failedRotations: rotations.filter((rotation) => !rotation.ok).map((rotation) => rotation.error ?? 'unknown error'),
    failedRequests: rotated.reduce((sum, trial) => sum + failedRequests(trial.load), 0),
    around,
  };
}

/** What strict mTLS costs over the plaintext sidecar, when a run has both. */
export function summarizeMtls(results: Results, summary: ResultsSummary, reference = 'sidecar', arm = 'mtls', churnArm = 'mtls-churn'): MtlsSummary | undefined {
  if (!results.mtls) return undefined;
  const referenceTrials = okTrials(results, reference);
  const mtlsTrials = okTrials(results, arm);
  if (referenceTrials.length === 0 || mtlsTrials.length === 0) return undefined;
  const load = results.scenario.load as { model?: string; ratePerSecond?: number; connections?: number } | undefined;
  const loadDescription = load?.model === 'open' ? `at ${load.ratePerSecond}/s (open model)` : `at ${load?.connections} connections (closed model)`;

  const saturationOf = (trials: readonly OkTrial[]) => byRound(trials, (trial) => trial.saturation?.rps);
  const referenceSaturation = saturationOf(referenceTrials);
  const mtlsSaturation = saturationOf(mtlsTrials);
  const drops = [...mtlsSaturation].flatMap(([round, rps]) => (referenceSaturation.get(round) ? [1 - rps / (referenceSaturation.get(round) as number)] : []));

  const vcpuPer1k = (name: string) => byRound(trialsOf(summary, name), (trial) => sidecarSum(trial, (container) => container.vcpuPer1kRps));
  const referenceVcpu = vcpuPer1k(reference);
  const mtlsVcpu = vcpuPer1k(arm);

  const churnTrials = okTrials(results, churnArm);
  let handshakes: MtlsSummary['handshakes'];
  if (churnTrials.length > 0) {
    const churnRate = byRound(churnTrials, handshakesPerSecond);
    const sidecarCpuUsPerSecond = (name: string) => byRound(trialsOf(summary, name), (trial) => sidecarSum(trial, (container) => container.vcpu) * 1e6);
    const churnCpu = sidecarCpuUsPerSecond(churnArm);
    const keepAliveCpu = sidecarCpuUsPerSecond(arm);
    // Per round: the churn arm's extra sidecar CPU (µs per second) over its handshakes per second.
    const perHandshake = [...churnRate].flatMap(([round, rate]) => {
      const churn = churnCpu.get(round);
      const keepAlive = keepAliveCpu.get(round);
      return churn !== undefined && keepAlive !== undefined && rate > 0 ? [(churn - keepAlive) / rate] : [];
    });
    const reuse = churnTrials.map((trial) => trial.tls?.frontendSessionReusePercent).filter((value): value is number => value !== undefined);
    const counted = churnTrials.filter((trial) => trial.tls?.serverFullHandshakes !== undefined && trial.tls.serverResumedHandshakes !== undefined);
    const kindRate = (pick: (tls: NonNullable<OkTrial['tls']>) => number) => byRound(counted, (trial) => (trial.tls ? pick(trial.tls) / trial.tls.spanSeconds : undefined));
    const resumedShares = byRound(counted, (trial) => {
      const full = trial.tls?.serverFullHandshakes ?? 0;
      const resumed = trial.tls?.serverResumedHandshakes ?? 0;
      return full + resumed > 0 ? resumed / (full + resumed) : undefined;
    });
    const resumedShare = resumedShares.size > 0 ? estimateMedian([...resumedShares.values()]) : undefined;
    const sessionResumption = (results.scenario as { mtls?: { sessionResumption?: boolean } }).mtls?.sessionResumption ?? true;
    handshakes = {
      churnArm,
      perSecond: estimateMedian([...churnRate.values()]),
      keepAlivePerSecond: estimateMedian([...byRound(mtlsTrials, handshakesPerSecond).values()]),
      cpuUsPerHandshake: estimateMedian(perHandshake),
      firstRequestP50Us: estimateMedian([...perRoundStatistic(churnTrials, 'latencyUs', 'p50Us').values()]),
      steadyP50Us: estimateMedian([...perRoundStatistic(mtlsTrials, 'latencyUs', 'p50Us').values()]),
      firstRequestPenaltyUs: pairedOverhead(churnTrials, mtlsTrials, 'latencyUs').p50Us,
      ...(reuse.length > 0 ? { sessionReusePercent: reuse[reuse.length - 1] as number } : {}),
      sessionResumption,
      ...(counted.length > 0
        ? {
            fullPerSecond: estimateMedian([...kindRate((tls) => tls.serverFullHandshakes ?? 0).values()]),
            resumedPerSecond: estimateMedian([...kindRate((tls) => tls.serverResumedHandshakes ?? 0).values()]),
          }
        : {}),
      ...(resumedShare ? { resumedShare } : {}),
      kind: handshakeKind(resumedShare?.median),
    };
  }
  const rotation = rotationSummary(results, [arm, churnArm]);
  return {
    reference,
    arm,
    identity: results.mtls,
    latencyDelta: pairedOverhead(mtlsTrials, referenceTrials, 'latencyUs'),
    loadDescription,
    ...(drops.length > 0
      ? { saturation: { referenceRps: estimateMedian([...referenceSaturation.values()]), mtlsRps: estimateMedian([...mtlsSaturation.values()]), throughputDrop: estimateMedian(drops) } }
      : {}),
    sidecarVcpuPer1kRps: {
      reference: estimateMedian([...referenceVcpu.values()]),
      mtls: estimateMedian([...mtlsVcpu.values()]),
      delta: estimateMedian(pairedDifferences(mtlsVcpu, referenceVcpu)),
    },
    ...(handshakes ? { handshakes } : {}),
    ...(rotation ? { rotation } : {}),
  };
}
