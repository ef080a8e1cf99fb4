import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { summarizeResults, type ResultsSummary } from '../analysis/index.js';
import { BenchError, describeError, isBenchError } from '../errors.js';
import { CPU_DMA_LATENCY_PATH, holdCpusAwake, whyCpusCannotBeKeptAwake } from '../host/cpu-latency-hold.js';
import { HOST_PATHS, onlineCpus, readHostFingerprint } from '../host/index.js';
import { describeStalls, probeStalls, stallWarning } from '../host/stall-probe.js';
import { describeWakeUp, probeWakeUp } from '../host/wake-probe.js';
import { ensureImages, type ImageName } from '../images/index.js';
import type { Progress } from '../progress.js';
import { writeResults, RESULTS_SCHEMA_VERSION, type CalibrationPlan, type HostStalls, type HostWakeUp, type Results, type SweepRecord, type TopologyRecord, type TrialRecord } from '../results/index.js';
import type { ProxyDriver } from '../proxies/driver.js';
import { connectDocker } from '../runtime/docker-env.js';
import { RunResources } from '../runtime/run-resources.js';
import { planTopology } from '../runtime/topology.js';
import { readClockTicksPerSecond } from '../sampling/index.js';
import type { Scenario } from '../scenario/index.js';
import { hasPeerTls, hasSidecar } from '../topology/index.js';
import { proxyVersionsOf, readArmProxy, resolveArmProxies } from './arm-proxies.js';
import { needsBpf, openBpf } from './bpf-arms.js';
import { BASELINE_ARM_SUFFIX, pairedArms, scenarioArms, type Arm } from './arms.js';
import { createMtlsMaterial, type MtlsMaterial } from './mtls-material.js';
import { resolvePlacement } from './placement.js';
import { startTopology, type StartedTopology } from './pods-for-run.js';
import { describeOomKill, findOomKills, type WatchedContainer } from './oom-kills.js';
import { podContainerName } from '../runtime/pod.js';
import type { TopologyPlan } from '../runtime/topology.js';
import { AdaptiveRounds, type GateCounts } from './adaptive-rounds.js';
import { runTrials, type MtlsArm } from './run-trials.js';
import { runSweep } from './run-sweep.js';
import { agentLoadOf } from './load-spec.js';
import { writeReports } from './write-reports.js';
import { applyHostSettings, checkHostSettings, restoreHostSettings } from './host-settings.js';
import { HostSysctls } from '../host/host-sysctls.js';

export interface RunScenarioOptions {
  scenario: Scenario;
  /** What to measure; one arm per scenario topology when absent. */
  arms?: Arm[];
  /** The arm overheads are measured against (default: app-only). */
  baseline?: string;
  /** Set by `sidecar-bench calibrate`. */
  calibration?: CalibrationPlan;
  /** Run this configuration as the baseline of every sidecar topology, interleaved with the scenario's. */
  baselineScenario?: Scenario;
  /** Parent folder of the run's output folder. */
  reportsDir: string;
  progress: Progress;
  signal: AbortSignal;
  toolVersion: string;
  /** Receives a cleanup to run if the user insists on leaving (second Ctrl-C). */
  onCleanup?: (cleanup: () => Promise<unknown>) => void;
  /**
   * Adaptive rounds (scenario.gates.rounds): the gate's verdict counts on the rounds so far,
   * asked after every round from the minimum on; undefined when there is nothing to gate.
   */
  gateSoFar?: (partial: { results: Results; summary: ResultsSummary }) => GateCounts;
  now?: () => Date;
}

export interface RunOutcome {
  results: Results;
  summary: ResultsSummary;
  outputDir?: string;
}

const STARTUP_TIMEOUT_MS = 60_000;

/** plan → images → pods → interleaved trials → results.json + report. Containers never outlive it. */
export async function runScenario(options: RunScenarioOptions): Promise<RunOutcome> {
  const { scenario, progress, signal } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  // Before anything is made: a setting that would change nothing here is refused, not ignored.
  const cannotStayAwake = scenario.host.keepCpusAwake ? whyCpusCannotBeKeptAwake(await readCpuIdleDriver()) : undefined;
  if (cannotStayAwake) {
    throw new BenchError('SB_SCENARIO_INVALID', `host.keepCpusAwake cannot keep CPUs awake on this machine: ${cannotStayAwake}`, [], 'Set host.keepCpusAwake: false; every run records what waking an idle CPU costs here (host.wakeUp in results.json, and the report).');
  }
  checkHostSettings(scenario);
  const { dockerode, serverVersion } = await connectDocker();
  const host = await readHostFingerprint({ dockerVersion: serverVersion });
  const cpus = await onlineCpus({});
  const placement = resolvePlacement(scenario, cpus);
  if (placement.note) progress.warn(placement.note);

  const arms = options.arms ?? (options.baselineScenario ? pairedArms(scenario, options.baselineScenario) : scenarioArms(scenario));
  // Overheads are measured against the app-only arm, whatever the scenario named it.
  const baseline = options.baseline ?? arms.find((arm) => !hasSidecar(arm.topology) && arm.name !== 'app-only')?.name;
  const withBpf = needsBpf(arms.map((arm) => arm.topology));
  const imageSet = await ensureImages({ dockerode, progress, names: ['pause', 'init', 'app', 'loadgen', ...(withBpf ? (['ebpf'] as const) : [])] });
  const image = (name: ImageName) => imageSet.images[name]?.tag as string;
  // Each proxy driver finds, pulls or builds its own image; the ones built from docker/ are recorded.
  const proxyContext = {
    dockerode,
    progress,
    ensureImage: async (name: ImageName) => {
      const built = await ensureImages({ dockerode, progress, names: [name] });
      Object.assign(imageSet.images, built.images);
      return built.images[name] as { tag: string; id: string };
    },
  };
  const proxies = await resolveArmProxies(arms, scenario.proxy, proxyContext);
  throwIfAborted(signal);

  const stalls = await probeMachineStalls(cpus, progress);
  throwIfAborted(signal);
  const wakeUp = await probeMachineWakeUp(cpus, scenario, progress);
  throwIfAborted(signal);
  const cpusAwake = scenario.host.keepCpusAwake ? await holdCpusAwakeOrExplain() : undefined;
  const runId = `${startedAt.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  const resources = new RunResources(dockerode, runId);
  // Host sysctls go back first on every path: the run's end (finally below), a second Ctrl-C, process.exit.
  const hostSysctls = new HostSysctls({ runId, owner: resources.owner });
  options.onCleanup?.(() => hostSysctls.restoreAll());
  options.onCleanup?.(() => resources.removeAll());
  const trials: TrialRecord[] = [];
  const topologyRecords: TopologyRecord[] = [];
  let runError: BenchError | undefined;
  let mtlsRecord: Results['mtls'];
  let sweepRecord: SweepRecord | undefined;
  const roundsSpec = scenario.gates.rounds;
  // Judged on the results so far: the same results.json the run writes, just shorter.
  const adaptive = roundsSpec
    ? new AdaptiveRounds(roundsSpec, () => {
        const partial = assembleResults();
        return options.gateSoFar?.({ results: partial, summary: summarizeResults(partial) });
      })
    : undefined;
  const assembleResults = (): Results => ({
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'sidecar-bench', version: options.toolVersion },
    run: {
      id: runId,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      status: runError ? (runError.code === 'SB_INTERRUPTED' ? 'interrupted' : 'failed') : 'complete',
      ...(runError ? { error: { code: runError.code, message: runError.message } } : {}),
    },
    scenario: { ...scenario },
    host: { ...host, ...(stalls ? { stalls } : {}), ...(wakeUp ? { wakeUp } : {}) },
    images: Object.fromEntries([['base', { tag: imageSet.base.reference, id: imageSet.base.id }], ...Object.entries(imageSet.images).map(([name, built]) => [name, { tag: built.tag, id: built.id }]), ...Object.entries(proxies.images())]),
    proxyVersions: proxyVersionsOf(topologyRecords.map((record) => ({ name: record.name, proxy: record.proxy }))),
    topologies: topologyRecords,
    ...(baseline ? { baseline } : {}),
    ...(options.calibration ? { calibration: options.calibration } : {}),
    ...(mtlsRecord ? { mtls: mtlsRecord } : {}),
    ...(options.baselineScenario
      ? { pairing: { suffix: BASELINE_ARM_SUFFIX, baselineScenario: { ...options.baselineScenario } } }
      : {}),
    ...(adaptive ? { rounds: adaptive.record(new Set(trials.map((trial) => trial.round)).size) } : {}),
    ...(sweepRecord ? { sweep: sweepRecord } : {}),
    trials: [...trials],
    summary: undefined,
  });
  try {
    const networkName = `sb-${runId}`;
    await resources.createNetwork(networkName);
    const bpf = withBpf ? await openBpf(dockerode, resources, { ebpf: image('ebpf'), pause: image('pause') }) : undefined;
    const podContext = { dockerode, resources, networkName, pauseImage: image('pause'), initImage: image('init'), startupTimeoutMs: STARTUP_TIMEOUT_MS };
    const load = agentLoadOf(scenario);
    const needsMtls = (side: Scenario) => arms.some((arm) => (arm.settingsFrom ?? scenario) === side && hasPeerTls(arm.topology));
    const mtlsMaterial = needsMtls(scenario) ? await createMtlsMaterial(scenario.mtls) : undefined;
    const baselineMtls = options.baselineScenario && needsMtls(options.baselineScenario) ? await createMtlsMaterial(options.baselineScenario.mtls) : undefined;
    const started: StartedTopology[] = [];
    const mtlsByArm = new Map<string, MtlsArm>();
    const proxyByArm = new Map<string, ProxyDriver>();
    for (const arm of arms) {
      throwIfAborted(signal);
      const side = arm.settingsFrom ?? scenario;
      const armMtls = arm.settingsFrom ? baselineMtls : mtlsMaterial;
      const armProxy = proxies.of(arm);
      const plan = planTopology(arm.topology, {
        // The arm's own proxy settings (threads, added delay) over its side's scenario.
        scenario: { ...side, proxy: arm.proxy ?? side.proxy },
        images: { app: image('app'), loadgen: image('loadgen') },
        // An arm without a sidecar renders none: any profile will do.
        proxy: armProxy ?? proxies.any,
        ...placement,
        arm: arm.name,
        ...(arm.protocol ? { protocol: arm.protocol } : {}),
        ...(arm.calibrationDelayUs !== undefined ? { calibrationDelayUs: arm.calibrationDelayUs } : {}),
        ...(arm.resources ? { resources: arm.resources } : {}),
        ...(arm.sysctls ? { sysctls: arm.sysctls } : {}),
        ...(arm.notrack ? { notrack: arm.notrack } : {}),
        ...(arm.appBind ? { appBind: arm.appBind } : {}),
        ...(arm.keepAlive === false ? { keepAlive: false as const } : {}),
        ...(arm.fault ? { fault: arm.fault } : {}),
        ...(armMtls ? { mtls: armMtls } : {}),
      });
      if (armProxy && hasSidecar(arm.topology)) proxyByArm.set(arm.name, armProxy.driver);
      if (armMtls && armProxy && hasPeerTls(arm.topology)) {
        mtlsByArm.set(arm.name, { material: armMtls, rotateDuringTrial: side.mtls.rotateDuringTrial, ...(armProxy.driver.tlsAdmin ? { tlsAdmin: armProxy.driver.tlsAdmin } : {}) });
        if (side === scenario && mtlsMaterial) mtlsRecord ??= mtlsResultsRecord(scenario, mtlsMaterial, armProxy.driver);
      }
      let topology: StartedTopology;
      try {
        topology = await startTopology(plan, arm.description, podContext, progress, load, bpf?.attach, armProxy?.driver.readStats?.bind(armProxy.driver));
      } catch (error) {
        // A container OOMKilled while its pod starts (a limit below what the process needs to start)
        // fails this arm only, as a pod in CrashLoopBackOff would; anything else fails the run.
        const kills = await findOomKills(dockerode, plannedContainers(runId, plan));
        if (kills.length === 0) throw error;
        const message = `OOMKilled while its pods started: ${kills.map(describeOomKill).join('; ')}`;
        progress.warn(`${arm.name}: ${message}; it is not measured, the other arms go on`);
        topologyRecords.push({ name: arm.name, description: arm.description, interception: plan.interception.name, pods: [], failure: { reason: 'OOMKilled', round: 0, message, oomKills: kills } });
        trials.push({ state: 'failed', topology: arm.name, round: 0, startedAt: now().toISOString(), error: { code: 'SB_OOM_KILLED', message }, oomKills: kills });
        continue;
      }
      started.push(topology);
      const proxyRecord = arm.proxy && armProxy ? await readArmProxy(topology, arm.proxy, armProxy) : undefined;
      topologyRecords.push({ ...topology.record, ...(proxyRecord ? { proxy: proxyRecord } : {}) });
    }
    // Fresh pods (freshPodsEvery): the arm's containers go, new ones start under the same plan and
    // pass the same path check; their records are kept beside the first set's.
    const restartPods = async (topology: StartedTopology, podSet: number): Promise<StartedTopology> => {
      const problems = await resources.removePods([topology.client.name, topology.server.name]);
      if (problems.length > 0) throw new BenchError('SB_CONTAINER_FAILED', `could not remove the pods of ${topology.plan.arm} for pod set ${podSet + 1}`, problems);
      const fresh = await startTopology(topology.plan, topology.record.description, podContext, progress, load, undefined, topology.readStats);
      const record = topologyRecords.find((candidate) => candidate.name === topology.plan.arm);
      if (record) record.laterPodSets = [...(record.laterPodSets ?? []), fresh.record.pods];
      return fresh;
    };
    if (adaptive) {
      adaptive.onMore = (why) => progress.info(why);
      adaptive.start();
    }
    const trialsOptions = {
      dockerode,
      topologies: started,
      warmupRounds: scenario.warmupRounds,
      load,
      samplingIntervalMs: scenario.sampling.intervalUs / 1000,
      clockTicksPerSecond: await readClockTicksPerSecond(),
      progress,
      signal,
      onTrial: (trial: TrialRecord) => trials.push(trial),
      onArmFailed: (armName: string, trial: Extract<TrialRecord, { state: 'failed' }>) => {
        const record = topologyRecords.find((candidate) => candidate.name === armName);
        if (record) record.failure = { reason: 'OOMKilled', round: trial.round, message: trial.error.message, oomKills: trial.oomKills ?? [] };
      },
      mtlsByArm,
      ...(bpf ? { bpfSession: bpf.session } : {}),
      proxyByArm,
      ...(scenario.load.saturation ? { saturation: scenario.load.saturation } : {}),
      ...(scenario.load.closedCheck ? { closedCheck: scenario.load.closedCheck } : {}),
    };
    // Changed as late as possible: the pods are up, the trials start now.
    applyHostSettings(scenario, hostSysctls, progress);
    if (scenario.sweep) {
      await runSweep({ ...trialsOptions, sweep: scenario.sweep, roundsPerStep: scenario.trials, onRecord: (record) => (sweepRecord = record) });
    } else {
      await runTrials({
        ...trialsOptions,
        rounds: scenario.trials,
        ...(adaptive && roundsSpec ? { adaptive: { maxRounds: roundsSpec.max, another: (roundsDone: number) => adaptive.another(roundsDone) } } : {}),
        ...(scenario.freshPodsEvery ? { freshPods: { everyRounds: scenario.freshPodsEvery, restart: restartPods } } : {}),
      });
    }
  } catch (error) {
    runError = isBenchError(error) ? error : new BenchError('SB_CONTAINER_FAILED', describeError(error), [], undefined, { cause: error });
  } finally {
    restoreHostSettings(hostSysctls, progress);
    await cpusAwake?.release();
    const task = progress.start(withBpf ? 'Detaching eBPF programs, removing containers, network and bpffs' : 'Removing containers and network');
    const problems = await resources.removeAll();
    if (problems.length > 0) task.fail(`could not remove: ${problems.join('; ')}`);
    else task.succeed(withBpf ? 'detached and unpinned every eBPF program; removed every container, the network and the bpffs of this run' : 'removed every container and the network of this run');
  }

  const results = assembleResults();
  if (results.rounds) progress.info(`rounds: ${results.rounds.used} of ${results.rounds.min}…${results.rounds.max}: ${results.rounds.detail}`);
  const summary = summarizeResults(results);
  results.summary = summary;
  // A run that measured something keeps it; one that failed keeps its failure for CI (junit.xml); only an interrupted run that measured nothing leaves nothing.
  const keep = trials.some((trial) => trial.state === 'ok') || (runError !== undefined && runError.code !== 'SB_INTERRUPTED');
  const outputDir = keep ? join(options.reportsDir, `${scenario.name}-${folderTimestamp(startedAt)}`) : undefined;
  if (outputDir) {
    await writeResults(outputDir, results);
    await writeReports(outputDir, results, summary);
  }
  if (runError && !outputDir) throw runError;
  return { results, summary, ...(outputDir ? { outputDir } : {}) };
}

/** The containers a plan asks for, by engine name: what an OOM kill at start is looked for in. */
function plannedContainers(runId: string, plan: TopologyPlan): WatchedContainer[] {
  return [plan.client, plan.server].flatMap((pod) =>
    pod.containers.map((container) => {
      const name = podContainerName(runId, pod.name, container.role);
      const memory = container.resources?.limits.memoryBytes;
      return { ref: name, name, role: container.role, ...(memory !== undefined ? { memoryLimitBytes: memory } : {}) };
    }),
  );
}

/** The machine's own stalls, before any pod of this run starts: what no proxy can be blamed for. */
async function probeMachineStalls(cpus: readonly number[], progress: Progress): Promise<HostStalls | undefined> {
  const task = progress.start('Probing this machine for stalls (2 s per CPU, all at once)');
  try {
    const stalls = await probeStalls(cpus);
    task.succeed(`machine stalls: ${describeStalls(stalls)}`);
    // A ✔ alone would read as "fine": a stalling machine's P99 is partly its own (README, Can I trust it?).
    const warning = stallWarning(stalls);
    if (warning) progress.warn(warning);
    return stalls;
  } catch (error) {
    task.fail(`could not probe machine stalls (results will not have them): ${describeError(error)}`);
    return undefined;
  }
}

/**
 * What waking an idle CPU costs here, with the gap between requests at the scenario's rate (1 ms
 * for closed models): the evidence when the rate's overhead and a back-to-back loop's disagree.
 */
async function probeMachineWakeUp(cpus: readonly number[], scenario: Scenario, progress: Progress): Promise<HostWakeUp | undefined> {
  const pauseMs = scenario.load.model === 'open' ? Math.max(1, Math.round(1000 / scenario.load.ratePerSecond)) : 1;
  const pair: [number, number] = [cpus[0] ?? 0, cpus[1] ?? cpus[0] ?? 0];
  const task = progress.start(`Probing what waking an idle CPU costs (cpu${pair[0]}↔cpu${pair[1]}, back to back vs ${pauseMs} ms apart)`);
  try {
    const wake = await probeWakeUp(pair, pauseMs);
    task.succeed(`CPU wake-up: ${describeWakeUp(wake)}`);
    return wake;
  } catch (error) {
    task.fail(`could not probe CPU wake-ups (results will not have them): ${describeError(error)}`);
    return undefined;
  }
}

async function holdCpusAwakeOrExplain(): Promise<{ release(): Promise<void> }> {
  try {
    return await holdCpusAwake();
  } catch (error) {
    throw new BenchError('SB_SCENARIO_INVALID', `host.keepCpusAwake needs write access to ${CPU_DMA_LATENCY_PATH}: ${describeError(error)}`, [], 'Run as root, or set host.keepCpusAwake: false.');
  }
}

async function readCpuIdleDriver(): Promise<string | undefined> {
  try {
    return (await readFile(HOST_PATHS.cpuIdleDriver, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new BenchError('SB_INTERRUPTED', 'interrupted');
}

function folderTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** What results.json keeps of the trust domain: identities and the CA certificate, never a key. */
function mtlsResultsRecord(scenario: Scenario, material: MtlsMaterial, driver: ProxyDriver): NonNullable<Results['mtls']> {
  return {
    trustDomain: material.trustDomain,
    clientSpiffeId: material.client.spiffeId,
    serverSpiffeId: material.server.spiffeId,
    keyAlgorithm: scenario.mtls.keyAlgorithm,
    tlsVersion: scenario.mtls.tlsVersion,
    ...(scenario.mtls.cipher ? { cipher: scenario.mtls.cipher } : {}),
    identityCheck: driver.identityCheck,
    caCertificatePem: material.caCertificatePem,
  };
}
