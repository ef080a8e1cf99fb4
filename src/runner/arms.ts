import type { LoadProtocol } from '../load/protocols.js';
import type { NotrackScope } from '../interception/notrack.js';
import type { CalibrationPlan } from '../results/schema.js';
import { formatCpuMillis, formatMemoryBytes, type ContainerResources } from '../kubernetes/index.js';
import type { FindingKind, PodResources, ProxySpec, Scenario, ScenarioArm } from '../scenario/index.js';
import { hasSidecar, TOPOLOGY_DESCRIPTIONS, type TopologyName } from '../topology/index.js';

/** One measured thing in a run: a topology with its own proxy, possibly with a calibration delay in its server sidecar. */
export interface Arm {
  name: string;
  topology: TopologyName;
  description: string;
  /** The sidecar proxy this arm runs (profile, version, threads, added delay); absent for app-only. */
  proxy?: ProxySpec;
  calibrationDelayUs?: number;
  /** What the arm's load speaks when not the scenario's load.protocol. */
  protocol?: LoadProtocol;
  /** Whose mTLS settings the arm runs with (the baseline side of a paired run); default the run's scenario. */
  settingsFrom?: Scenario;
  /** Kubernetes resources of the arm's sidecar and app containers (absent: unconstrained). */
  resources?: PodResources;
  /** The arm's pods' network sysctls (absent: the seed's tunables). */
  sysctls?: Record<string, string>;
  /** Traffic of the arm's pods exempt from connection tracking (arms[].conntrack.notrack). */
  notrack?: NotrackScope;
  /** The app listens on loopback only (absent: every address). */
  appBind?: '127.0.0.1';
  /** false: a new load connection per request, closed by the load agent. */
  keepAlive?: false;
  /** The finding this arm reproduces on purpose (its probe accepts that finding's answer). */
  fault?: FindingKind;
}

/** "cpu 200m–1, memory 128Mi–512Mi": request–limit, one figure when only one is set. */
function describeContainerResources(resources: ContainerResources): string {
  const pair = (request: number | undefined, limit: number | undefined, format: (value: number) => string) =>
    request !== undefined && limit !== undefined ? `${format(request)}–${format(limit)}` : request !== undefined ? `request ${format(request)}` : limit !== undefined ? `limit ${format(limit)}` : undefined;
  const parts = [
    ['cpu', pair(resources.requests.cpuMilli, resources.limits.cpuMilli, formatCpuMillis)],
    ['memory', pair(resources.requests.memoryBytes, resources.limits.memoryBytes, formatMemoryBytes)],
  ].flatMap(([name, text]) => (text ? [`${name} ${text}`] : []));
  return parts.length > 0 ? parts.join(', ') : 'unconstrained';
}

/** What sets an arm's pods apart from plain ones: "sidecar cpu limit 100m; sysctls: kernel defaults". */
export function describePodSettings(resources: PodResources | undefined, sysctls: Record<string, string> | undefined): string | undefined {
  const parts: string[] = [];
  if (resources?.sidecar) parts.push(`sidecar ${describeContainerResources(resources.sidecar)}`);
  if (resources?.app) parts.push(`app ${describeContainerResources(resources.app)}`);
  if (sysctls) parts.push(Object.keys(sysctls).length === 0 ? 'sysctls: kernel defaults' : `sysctls: ${Object.entries(sysctls).map(([name, value]) => `${name}=${value}`).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "envoy 1.36.2, 2 threads, +1ms added delay": what sets an arm's proxy apart, for its description. */
export function describeProxy(proxy: ProxySpec): string {
  const parts = [`${proxy.profile}${proxy.version ? ` ${proxy.version}` : ''}`];
  if (proxy.image) parts.push(`image ${proxy.image}`);
  if (proxy.workerThreads !== 1) parts.push(`${proxy.workerThreads} threads`);
  if (proxy.addedDelayUs !== undefined) parts.push(`+${delayLabel(proxy.addedDelayUs)} added delay`);
  if (proxy.routeTimeoutUs !== undefined) parts.push(`route timeout ${delayLabel(proxy.routeTimeoutUs)}`);
  if (proxy.inboundEndpoint === 'pod-ip') parts.push('inbound to the pod IP');
  return parts.join(', ');
}

function armOf(spec: ScenarioArm, defaults: ProxySpec, note?: string): Arm {
  // An arm's proxy is named when it is not the scenario's default, so the report tells arms apart.
  const own = spec.proxy && JSON.stringify(spec.proxy) !== JSON.stringify(defaults) ? describeProxy(spec.proxy) : undefined;
  const faultParts = [
    spec.appBind ? `app listens on ${spec.appBind} only` : undefined,
    spec.keepAlive === false ? 'a new connection per request' : undefined,
    spec.fault ? `reproduces ${spec.fault}` : undefined,
  ];
  const extra = [own, describePodSettings(spec.resources, spec.sysctls), spec.notrack ? `conntrack: notrack ${spec.notrack}` : undefined, ...faultParts, note].filter(Boolean).join('; ');
  return {
    name: spec.name,
    topology: spec.topology,
    description: extra ? `${TOPOLOGY_DESCRIPTIONS[spec.topology]} (${extra})` : TOPOLOGY_DESCRIPTIONS[spec.topology],
    ...(spec.proxy ? { proxy: spec.proxy } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
    ...(spec.sysctls ? { sysctls: spec.sysctls } : {}),
    ...(spec.protocol ? { protocol: spec.protocol } : {}),
    ...(spec.notrack ? { notrack: spec.notrack } : {}),
    ...(spec.appBind ? { appBind: spec.appBind } : {}),
    ...(spec.keepAlive === false ? { keepAlive: false as const } : {}),
    ...(spec.fault ? { fault: spec.fault } : {}),
  };
}

/** An ordinary run: the scenario's arms (one per topology in the simple form, named after it). */
export function scenarioArms(scenario: Scenario): Arm[] {
  return scenario.arms.map((spec) => armOf(spec, scenario.proxy));
}

export const BASELINE_ARM_SUFFIX = '-baseline';

/**
 * A candidate and a baseline configuration in one run: each arm without a proxy (app-only) once (it
 * is the same for both), and each other arm twice, as the candidate (its own name, its own proxy) and as the
 * baseline (name + "-baseline", with the proxy and mTLS settings of the baseline scenario's arm of
 * that name), next to each other in every round. Both sides see the same machine at the same
 * time, so their difference is the change, not drift. The two sides may run different proxies.
 */
export function pairedArms(candidate: Scenario, baseline: Scenario): Arm[] {
  const baselineArms = new Map(baseline.arms.map((spec) => [spec.name, spec]));
  return candidate.arms.flatMap((spec): Arm[] => {
    // Without a proxy the arm is the same on both sides: it runs once.
    if (!hasSidecar(spec.topology)) return [armOf(spec, candidate.proxy)];
    const twin = baselineArms.get(spec.name) ?? spec;
    return [
      { ...armOf(twin, baseline.proxy, `baseline: ${baseline.sourceFile}`), name: `${spec.name}${BASELINE_ARM_SUFFIX}`, settingsFrom: baseline },
      armOf(spec, candidate.proxy, `candidate: ${candidate.sourceFile}`),
    ];
  });
}

export const CALIBRATION_REFERENCE_ARM = 'calibration-d0';
export const CALIBRATION_AA_ARM = 'calibration-aa';

function delayLabel(delayUs: number): string {
  return delayUs % 1000 === 0 ? `${delayUs / 1000}ms` : `${delayUs}us`;
}

/**
 * Calibration arms over one topology: D = 0 (the reference), D = 0 again (the A/A check: the
 * harness must not see a difference where there is none), and one arm per delay.
 */
export function calibrationArms(topology: TopologyName, delaysUs: readonly number[], proxy: ProxySpec): { arms: Arm[]; plan: CalibrationPlan } {
  const base = TOPOLOGY_DESCRIPTIONS[topology];
  const delayed = delaysUs.map((delayUs) => ({
    name: `calibration-d${delayLabel(delayUs)}`,
    topology,
    proxy,
    description: `${base}; server sidecar holds each request ${delayLabel(delayUs)}`,
    calibrationDelayUs: delayUs,
  }));
  const arms: Arm[] = [
    { name: CALIBRATION_REFERENCE_ARM, topology, proxy, description: `${base}; calibration path, no delay (reference)`, calibrationDelayUs: 0 },
    { name: CALIBRATION_AA_ARM, topology, proxy, description: `${base}; calibration path, no delay (A/A check)`, calibrationDelayUs: 0 },
    ...delayed,
  ];
  return {
    arms,
    plan: { referenceArm: CALIBRATION_REFERENCE_ARM, aaArm: CALIBRATION_AA_ARM, delayedArms: delayed.map((arm) => ({ arm: arm.name, delayUs: arm.calibrationDelayUs })) },
  };
}

/** Two scenarios can be interleaved only if they measure the same arms (names and topologies) under the same load. */
export function pairingProblems(candidate: Scenario, baseline: Scenario): string[] {
  const problems: string[] = [];
  const list = (scenario: Scenario) => scenario.arms.map((arm) => (arm.name === arm.topology ? arm.name : `${arm.name}: ${arm.topology}`)).join(', ');
  if (list(candidate) !== list(baseline)) {
    const what = candidate.arms.some((arm) => arm.name !== arm.topology) || baseline.arms.some((arm) => arm.name !== arm.topology) ? 'arms' : 'topologies';
    problems.push(`${what} differ: ${candidate.sourceFile} has [${list(candidate)}], ${baseline.sourceFile} has [${list(baseline)}]`);
  }
  if (JSON.stringify(candidate.load) !== JSON.stringify(baseline.load)) problems.push(`load differs between ${candidate.sourceFile} and ${baseline.sourceFile}: both sides must see the same load`);
  if (JSON.stringify(candidate.app) !== JSON.stringify(baseline.app)) problems.push(`app differs between ${candidate.sourceFile} and ${baseline.sourceFile}: app-only is shared by both sides`);
  return problems;
}
