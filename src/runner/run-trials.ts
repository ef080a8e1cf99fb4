import type Dockerode from 'dockerode';
import { BenchError, describeError, isBenchError } from '../errors.js';
import { attemptedRequests, failedRequests, successfulResponses, type AgentSpec } from '../load/agent-protocol.js';
import { planLoadOf } from './load-spec.js';
import { CONNECT_FAILURE_CODES, hopCount, missingTrialHops, requestsLeavingTheAgent } from './path-check.js';
import { runLoad } from '../load/run-agent.js';
import type { Progress } from '../progress.js';
import type { ProxyDriver, ProxyTlsAdmin } from '../proxies/driver.js';
import { describeLimitHits, watchLimits } from './proxy-limits.js';
import type { BpfCounters, TrialRecord } from '../results/schema.js';
import { counterDelta, inactivityProblems, type BpfSession } from '../interception/index.js';
import { appPortFor } from '../runtime/topology.js';
import { readConntrackMax, ResourceSampler } from '../sampling/index.js';
import { watchKernelLog } from '../sampling/kernel-log.js';
import type { ResourceSample } from '../sampling/types.js';
import { describeOomKill, findOomKills, type WatchedContainer } from './oom-kills.js';
import { hasPeerTls } from '../topology/index.js';
import type { MtlsMaterial } from './mtls-material.js';
import { loadgenOf, type StartedTopology } from './pods-for-run.js';
import { measureClosedCheck, measureSaturation, watchProxyStats, watchTerminations, watchTls } from './trial-extras.js';

/** An mtls arm: its trust domain, whether to rotate every SVID mid-trial, and its proxy's TLS operations (if it has any). */
export interface MtlsArm {
  material: MtlsMaterial;
  rotateDuringTrial: boolean;
  tlsAdmin?: ProxyTlsAdmin;
}

export interface TrialsOptions {
  dockerode: Dockerode;
  topologies: readonly StartedTopology[];
  rounds: number;
  /** Rounds run first, every arm once, and discarded (their trials are not reported). */
  warmupRounds?: number;
  load: Omit<AgentSpec, 'host' | 'port'>;
  samplingIntervalMs: number;
  clockTicksPerSecond: number;
  progress: Progress;
  signal: AbortSignal;
  /** Called after every trial, so an interrupted run keeps what it measured. */
  onTrial: (trial: TrialRecord) => void;
  /** mtls arms, by arm name. */
  mtlsByArm?: Map<string, MtlsArm>;
  /** The run's eBPF session: ebpf arms read their counters around each trial's main load. */
  bpfSession?: BpfSession;
  /** Each arm's proxy, by arm name: its stats reader counts every sidecar's hops per trial. */
  proxyByArm?: Map<string, ProxyDriver>;
  /** After each trial's main load, a closed-model burst (the throughput ceiling). */
  saturation?: { connections: number; durationUs: number };
  /** After each trial's main load, before saturation: a closed loop on the same pods (the overhead re-checked). */
  closedCheck?: { connections: number; durationUs: number };
  /**
   * Adaptive rounds: after `rounds` (the minimum), one more round at a time up to `maxRounds`
   * while `another(roundsDone)` says so (see adaptive-rounds.ts).
   */
  adaptive?: { maxRounds: number; another: (roundsDone: number) => boolean };
  /**
   * Called once when an arm stops being measured because a container of it was OOMKilled (the
   * trial that saw it is recorded as failed, SB_OOM_KILLED); its later rounds are skipped.
   */
  onArmFailed?: (arm: string, trial: Extract<TrialRecord, { state: 'failed' }>) => void;
  /** A rate sweep's step: its trials carry its index, and rounds are numbered on from `firstRound` (unique over the run). */
  step?: { index: number; firstRound: number };
  /** Per arm, the load to offer instead of `load` (a sweep's arms can be at different rates in one step). */
  loadFor?: (arm: string) => Omit<AgentSpec, 'host' | 'port'>;
  /**
   * Fresh pods (scenario freshPodsEvery): before every `everyRounds`-th measured round, `restart`
   * replaces each arm's pods with new ones (set `podSet`), then one round on them is run and
   * discarded. Trials carry the set they ran on.
   */
  freshPods?: { everyRounds: number; restart: (topology: StartedTopology, podSet: number) => Promise<StartedTopology> };
}

/**
 * The order of a round's arms: forward in even measured rounds, reversed in odd ones (A B C,
 * C B A, A B C …), a crossover (ABBA) design. Interleaving alone puts A first in every round, so a
 * drift within a round, or a trial that warms or cools the machine for the next one, hits one arm
 * more than another on every round; reversing cancels a linear drift over each pair of rounds and
 * gives every arm each neighbour on both sides. Warm-up rounds (negative, not data) run forward.
 */
export function roundOrder<T>(arms: readonly T[], round: number): T[] {
  return round > 0 && round % 2 === 1 ? [...arms].reverse() : [...arms];
}

/**
 * Trials interleaved across topologies (A B C, C B A, A B C …), never all of A then all of B: the
 * machine drifts (thermal, page cache, neighbours), and interleaving spreads the drift over every topology.
 */
export async function runTrials(options: TrialsOptions): Promise<void> {
  const warmupRounds = options.warmupRounds ?? 0;
  const { adaptive, freshPods } = options;
  const total = adaptive || freshPods ? '' : `/${(warmupRounds + options.rounds) * options.topologies.length}`;
  const rounds = adaptive ? `${options.rounds}…${adaptive.maxRounds}` : `${options.rounds}`;
  // Fresh pods replace an arm's entry here; the caller's list stays as it was started.
  const topologies = [...options.topologies];
  let podSet = 0;
  let index = 0;
  const failedArms = new Set<string>();
  /** One trial of `topology`; a negative round is a discarded warm-up. */
  const trialOf = async (topology: StartedTopology, round: number, what: string) => {
    index++;
    if (options.signal.aborted) throw new BenchError('SB_INTERRUPTED', 'interrupted');
    // An arm whose container was OOMKilled has no pod left to measure; the others run on.
    if (failedArms.has(topology.plan.arm)) return;
    const load = options.loadFor?.(topology.plan.arm) ?? options.load;
    const stepText = options.step ? `step ${options.step.index + 1} at ${load.ratePerSecond ?? '?'}/s, ` : '';
    // A sweep's rounds are numbered on over its steps, so a round names one set of trials in the run.
    const recordedRound = round < 0 ? round : round + (options.step?.firstRound ?? 0);
    const measured = await runTrial({ ...options, load }, topology, recordedRound, `Trial ${index}${total}: ${topology.plan.arm} (${stepText}${what})`);
    const trial = freshPods ? { ...measured, podSet } : measured;
    // A trial cut short by Ctrl-C is not a failure of its topology: it is dropped, the rest kept.
    if (trial.state === 'failed' && trial.error.code === 'SB_INTERRUPTED') throw new BenchError('SB_INTERRUPTED', 'interrupted');
    if (trial.state === 'failed' && trial.error.code === 'SB_OOM_KILLED') {
      failedArms.add(topology.plan.arm);
      options.progress.warn(`${topology.plan.arm}: ${trial.error.message}; its remaining rounds are skipped, the other arms go on`);
      // A warm-up trial is not data, but the arm's failure is: the trial that saw it is kept (as round 0).
      const kept = round < 0 ? { ...trial, round: 0, error: { ...trial.error, message: `in a warm-up round: ${trial.error.message}` } } : trial;
      options.onArmFailed?.(topology.plan.arm, kept);
      if (round < 0) options.onTrial(kept);
    }
    // Warm-up rounds are whole trials, measured and thrown away: only measured rounds are data.
    if (round >= 0) options.onTrial(trial);
  };
  for (let round = -warmupRounds; round < options.rounds || (adaptive !== undefined && adaptive.another(round) && round < adaptive.maxRounds); round++) {
    if (freshPods && round > 0 && round % freshPods.everyRounds === 0) {
      podSet++;
      options.progress.info(`Fresh pods for every arm (pod set ${podSet + 1}, every ${freshPods.everyRounds} rounds)`);
      for (const [i, topology] of topologies.entries()) {
        if (options.signal.aborted) throw new BenchError('SB_INTERRUPTED', 'interrupted');
        if (!failedArms.has(topology.plan.arm)) topologies[i] = await freshPods.restart(topology, podSet);
      }
      // The first round on new pods is not data, as after the run's first start.
      for (const topology of topologies) await trialOf(topology, -1, `warm-up on pod set ${podSet + 1}, discarded`);
    }
    for (const topology of roundOrder(topologies, round)) {
      await trialOf(topology, round, round < 0 ? `warm-up round ${round + warmupRounds + 1}/${warmupRounds}, discarded` : `round ${round + 1}/${rounds}`);
    }
  }
}

/** The containers of an arm whose OOM kill would end it (pause never runs anything that allocates). */
function watchedContainers(topology: StartedTopology): WatchedContainer[] {
  return [topology.client, topology.server].flatMap((pod) =>
    pod.containers
      .filter((container) => container.role !== 'pause')
      .map((container) => ({ ref: container.id, name: container.name, role: container.role, ...(container.resources?.limits.memoryBytes !== undefined ? { memoryLimitBytes: container.resources.limits.memoryBytes } : {}) })),
  );
}

/** One trial, then Docker's word on OOM kills: a trial in which a container was OOMKilled fails with SB_OOM_KILLED, whatever the load saw. */
async function runTrial(options: TrialsOptions, topology: StartedTopology, round: number, title: string): Promise<TrialRecord> {
  const seen: ResourceSample[] = [];
  const trial = await measureTrial(options, topology, round, title, seen);
  if (trial.state === 'failed' && trial.error.code === 'SB_INTERRUPTED') return trial;
  const kills = await findOomKills(options.dockerode, watchedContainers(topology), seen);
  if (kills.length === 0) return trial;
  return {
    state: 'failed',
    topology: trial.topology,
    round,
    startedAt: trial.startedAt,
    error: { code: 'SB_OOM_KILLED', message: `OOMKilled: ${kills.map(describeOomKill).join('; ')}` },
    oomKills: kills,
  };
}

async function measureTrial(options: TrialsOptions, topology: StartedTopology, round: number, title: string, seen: ResourceSample[]): Promise<TrialRecord> {
  const startedAt = new Date().toISOString();
  const task = options.progress.start(title);
  const containers = [topology.client, topology.server].flatMap((pod) => pod.containers.map((container) => ({ name: container.name, hostPid: container.hostPid })));
  // Each pod's netns is read through its pause container, which owns it.
  const pods = [topology.client, topology.server].flatMap((pod) => pod.containers.filter((container) => container.role === 'pause').map((pause) => ({ name: pod.name, hostPid: pause.hostPid })));
  const sampler = new ResourceSampler({ containers, pods, intervalMs: options.samplingIntervalMs, clockTicksPerSecond: options.clockTicksPerSecond });
  // Each round draws its own Poisson schedule; every arm of a round gets the same one (warm-up rounds their own).
  const spec: AgentSpec = { ...planLoadOf(options.load, topology.plan), host: topology.server.ip, port: appPortFor(topology.plan.protocol), seed: round >= 0 ? round + 1 : 1_000 - round };
  const warmupS = spec.warmupUs / 1e6;
  const totalS = (spec.warmupUs + spec.durationUs) / 1e6;
  const mtls = hasPeerTls(topology.plan.name) ? options.mtlsByArm?.get(topology.plan.arm) : undefined;
  const bpf = topology.plan.interception.bpf && options.bpfSession ? { mechanisms: topology.plan.interception.bpf, session: options.bpfSession } : undefined;
  let bpfCounters: BpfCounters | undefined;
  try {
    const bpfBefore = await bpf?.session.counters(topology.plan.arm);
    // The proxy's own limit counters (Envoy's overflows), read around the trial.
    const limitReader = options.proxyByArm?.get(topology.plan.arm)?.readLimitCounters;
    const limitWatch = limitReader ? await watchLimits(topology, limitReader) : undefined;
    // The kernel's table-full messages name the pod's netns: read what it logs from now on.
    const kernelWatch = watchKernelLog(pods);
    await sampler.start();
    // Mid-window: the agent takes ~0.2 s to start, then the warm-up, then half the window.
    const rotation = mtls?.rotateDuringTrial ? { material: mtls.material, afterMs: 200 + (spec.warmupUs + spec.durationUs / 2) / 1000 } : undefined;
    const driver = options.proxyByArm?.get(topology.plan.arm);
    const statsWatch = driver ? await watchProxyStats(driver, topology.client, topology.server) : undefined;
    const terminationWatch = watchTerminations(options.dockerode, driver, topology.client, topology.server);
    const tlsWatch = mtls?.tlsAdmin ? await watchTls(options.dockerode, mtls.tlsAdmin, topology.client, topology.server, rotation) : undefined;
    const load = await runLoad(options.dockerode, loadgenOf(topology), spec, {
      signal: options.signal,
      onProgress: (progress) => {
        const elapsedS = progress.elapsedMs / 1000;
        task.update(
          progress.phase === 'warmup'
            ? `warm-up ${elapsedS.toFixed(0)}/${warmupS.toFixed(0)} s`
            : `measuring ${(elapsedS - warmupS).toFixed(0)}/${(totalS - warmupS).toFixed(0)} s, ${progress.responses} responses`,
        );
      },
    });
    const samples = await sampler.stop();
    seen.push(...samples);
    const kernelLog = kernelWatch?.finish() ?? [];
    const conntrackMax = await readConntrackMax().catch(() => undefined);
    const proxyStats = await statsWatch?.finish();
    const proxyTerminations = await terminationWatch?.finish();
    // Every hop on the path must have carried at least the requests the trial sent (path-check.ts).
    const failedAtClient = (proxyTerminations ?? []).filter((record) => record.pod === 'client').reduce((sum, record) => sum + CONNECT_FAILURE_CODES.reduce((codes, code) => codes + (record.counts[code] ?? 0), 0), 0);
    const bypassed = proxyStats ? missingTrialHops(proxyStats, hopCount(spec.protocol ?? 'http1', requestsLeavingTheAgent(attemptedRequests(load), load.connectErrorsByErrno), spec.connections), failedAtClient) : [];
    if (bypassed.length > 0) throw new BenchError('SB_PATH_CHECK_FAILED', `the proxies of ${topology.plan.arm} did not carry this trial's requests: ${bypassed.join('; ')}`);
    const tls = await tlsWatch?.finish((spec.warmupUs + spec.durationUs) / 1e6, proxyStats);
    const limitHits = await limitWatch?.finish();
    if (limitHits && limitHits.length > 0) options.progress.warn(`${title}: ${describeLimitHits(limitHits)}`);
    if (bpf && bpfBefore) {
      bpfCounters = counterDelta(bpfBefore, await bpf.session.counters(topology.plan.arm));
      const idle = inactivityProblems(bpf.mechanisms, bpfCounters);
      // A "saving" measured while the programs did nothing would be the iptables path mislabelled.
      if (idle.length > 0) throw new BenchError('SB_BPF_INACTIVE', `the eBPF programs of ${topology.plan.arm} did nothing in this trial: ${idle.join('; ')}`);
    }
    if (options.closedCheck) task.update(`closed-loop check, ${options.closedCheck.connections} connection(s)`);
    const closedCheck = options.closedCheck ? await measureClosedCheck(options.dockerode, loadgenOf(topology), spec, options.closedCheck, options.signal) : undefined;
    if (options.saturation) task.update('saturation burst');
    const saturation = options.saturation ? await measureSaturation(options.dockerode, loadgenOf(topology), spec, options.saturation, options.signal) : undefined;
    const { event: _event, ...loadRecord } = load;
    const seconds = (load.window.endEpochMs - load.window.startEpochMs) / 1000;
    const saturationNote = saturation ? `; saturates at ${saturation.rps.toFixed(0)} req/s` : '';
    task.succeed(`${title}: ${(successfulResponses(load) / seconds).toFixed(0)} req/s, ${failedRequests(load)} failed${saturationNote}`);
    return {
      state: 'ok',
      topology: topology.plan.arm,
      round,
      ...(options.step ? { step: options.step.index } : {}),
      startedAt,
      load: loadRecord,
      ...(tls ? { tls } : {}),
      ...(proxyStats ? { proxyStats } : {}),
      ...(proxyTerminations && proxyTerminations.length > 0 ? { proxyTerminations } : {}),
      ...(limitHits && limitHits.length > 0 ? { limitHits } : {}),
      ...(closedCheck ? { closedCheck } : {}),
      ...(saturation ? { saturation } : {}),
      ...(bpfCounters ? { bpf: { counters: bpfCounters } } : {}),
      ...(kernelLog.length > 0 ? { kernelLog } : {}),
      resources: { intervalMs: options.samplingIntervalMs, samples, ...(conntrackMax !== undefined ? { conntrackMax } : {}) },
    };
  } catch (error) {
    if (seen.length === 0) seen.push(...(await sampler.stop().catch(() => [])));
    task.fail(`${title}: ${describeError(error)}`);
    return {
      state: 'failed',
      topology: topology.plan.arm,
      round,
      ...(options.step ? { step: options.step.index } : {}),
      startedAt,
      error: { ...(isBenchError(error) ? { code: error.code } : {}), message: describeError(error) },
      ...(bpfCounters ? { bpf: { counters: bpfCounters } } : {}),
    };
  }
}
