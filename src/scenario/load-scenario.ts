import { basename, extname } from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { BenchError, describeError, isBenchError } from '../errors.js';
import { fileArms, type FileProxy } from './arms-schema.js';
import { streamsPerConnectionOf } from './protocol-schema.js';
import type { ProtocolSettings } from '../load/protocol-load.js';
import { readScenarioText } from './read-scenario-file.js';
import { checkedScenarioFileSchema, type ScenarioFile } from './schema.js';
import { GATE_METRICS, parseLimit, type GatesFile } from './gates-schema.js';
import { parseDurationUs } from './units.js';
import { resolveContainerResources, type FilePodResources } from './resources-schema.js';
import type { GateSelector, GatesSpec, LoadSpec, PodResources, ProxySpec, Scenario, ScenarioArm, SweepSpec } from './scenario.js';
import type { SweepFile } from './sweep-schema.js';

/** Reads, parses and validates a scenario file; every problem is reported at once, with its line. */
export async function loadScenario(path: string): Promise<Scenario> {
  return parseScenario(await readScenarioText(path), path);
}

/** Deeper than any scenario field (gates.thresholds[0].max is 4 levels); deeper input is a mistake or hostile. */
const MAX_DEPTH = 32;
/** Alias expansions allowed (yaml's own default): anchors that share a list pass, an alias bomb does not. */
const MAX_ALIAS_COUNT = 100;
/** Problems listed before "… and N more": the message fits one screen. */
const MAX_PROBLEMS = 20;
const MAX_PROBLEM_CHARS = 240;

/**
 * Parses and validates scenario text. Whatever the YAML parser or the schema throws on hostile
 * input (alias bombs, deep nesting, self-referencing anchors) becomes one BenchError naming the file.
 */
export function parseScenario(text: string, path: string): Scenario {
  try {
    return parseScenarioText(text, path);
  } catch (error) {
    if (isBenchError(error)) throw error;
    throw invalid(path, [`${path}  cannot be read as a scenario: ${describeError(error)}`]);
  }
}

/** The YAML parser's own messages, said for a scenario's author. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (/Maximum call stack size exceeded/.test(first)) return 'nested too deeply for the YAML parser';
  if (/multiple documents/.test(first)) return 'a scenario is one YAML document; this file has several (separated by "---")';
  if (/Excessive alias count/.test(first)) return `its aliases (*name) expand to more than ${MAX_ALIAS_COUNT} nodes; a scenario needs few or none (an alias bomb?)`;
  return first;
}

function parseScenarioText(text: string, path: string): Scenario {
  const lineCounter = new LineCounter();
  // logLevel "error": the parser's warnings (unresolved tags, collection keys) would go to stderr as Node warnings.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      return `${path}:${position.line}:${position.col}  ${yamlMessage(error.message)}`;
    });
    throw invalid(path, problems);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw invalid(path, [`${path}  ${yamlMessage(describeError(error))}`]);
  }
  const shape = shapeProblem(value, 0, []);
  if (shape) throw invalid(path, [`${path}  ${shape}`]);
  const parsed = checkedScenarioFileSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw invalid(path, parsed.error.issues.flatMap((issue) => describeIssue(issue, document, lineCounter, path)));
  }
  // trials has a default, so only the raw file tells whether both were written.
  const written = (value ?? {}) as { trials?: unknown; gates?: { rounds?: unknown } };
  if (written.trials !== undefined && written.gates?.rounds !== undefined) {
    throw invalid(path, [`${locate(document, lineCounter, path, ['trials'], false)}  trials: give either trials (a fixed count) or gates.rounds (adaptive: min…max), not both`]);
  }
  return resolveScenario(parsed.data, path);
}

/** A value nested deeper than any scenario, or containing itself (an anchor whose alias sits inside it). */
function shapeProblem(value: unknown, depth: number, ancestors: readonly object[]): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (ancestors.includes(value)) return 'an alias (*name) refers to a node that contains it: the value would be infinite';
  if (depth >= MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels; no scenario field is`;
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  for (const child of children) {
    const problem = shapeProblem(child, depth + 1, [...ancestors, value]);
    if (problem) return problem;
  }
  return undefined;
}

function invalid(path: string, problems: string[]): BenchError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const shown = problems.slice(0, MAX_PROBLEMS).map((problem) => (problem.length > MAX_PROBLEM_CHARS ? `${problem.slice(0, MAX_PROBLEM_CHARS - 1)}…` : problem));
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  return new BenchError(
    'SB_SCENARIO_INVALID',
    `${path} is not a valid scenario (${count}):`,
    shown,
    'See scenarios/quickstart.yaml for a complete, commented example.',
  );
}

function describeIssue(issue: z.core.$ZodIssue, document: Document, lines: LineCounter, path: string): string[] {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys.map((key) => {
    const fieldPath = key === undefined ? issue.path : [...issue.path, key];
    const field = formatFieldPath(fieldPath) || '(top level)';
    const message = key === undefined ? (issue.path.length === 0 && issue.code === 'invalid_type' ? topLevelMessage(issue.message) : issue.message) : `unknown field; remove it or check its spelling`;
    return `${locate(document, lines, path, fieldPath, key !== undefined)}  ${field}: ${message}`;
  });
}

/** The whole file is a list or a scalar: say what a scenario is instead of zod's "expected object". */
function topLevelMessage(message: string): string {
  const received = /received (\w+)/.exec(message)?.[1];
  const what = received === 'array' ? 'a list' : received ? `a ${received}` : 'something else';
  return `expected a mapping of scenario fields (topologies:, load:, …); this file holds ${what}`;
}

/** file:line:col of the deepest node of the path that exists (the key itself for an unknown key). */
function locate(document: Document, lines: LineCounter, path: string, fieldPath: readonly PropertyKey[], pointAtKey: boolean): string {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const prefix = fieldPath.slice(0, depth);
    const node = prefix.length === 0 ? document.contents : document.getIn(prefix as unknown[], true);
    const keyNode = pointAtKey && depth === fieldPath.length && depth > 0 ? findKeyNode(document, prefix) : undefined;
    const target = keyNode ?? node;
    if (isNode(target) && target.range) {
      const { line, col } = lines.linePos(target.range[0]);
      return `${path}:${line}:${col}`;
    }
  }
  return path;
}

/** For an unknown key, point at the key itself rather than its value. */
function findKeyNode(document: Document, fieldPath: readonly PropertyKey[]): unknown {
  const parent = fieldPath.length === 1 ? document.contents : document.getIn(fieldPath.slice(0, -1) as unknown[], true);
  const last = fieldPath[fieldPath.length - 1];
  if (parent && typeof parent === 'object' && 'items' in parent && Array.isArray(parent.items)) {
    for (const item of parent.items as unknown[]) {
      if (item && typeof item === 'object' && 'key' in item) {
        const keyNode = (item as { key: unknown }).key;
        if (isNode(keyNode) && 'value' in keyNode && keyNode.value === last) return keyNode;
      }
    }
  }
  return undefined;
}

function formatFieldPath(fieldPath: readonly PropertyKey[]): string {
  return fieldPath
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function resolveScenario(file: ScenarioFile, path: string): Scenario {
  const { cpusets } = file.placement;
  const sweep = file.sweep ? resolveSweep(file.sweep) : undefined;
  const scenarioResources = file.resources ? resolvePodResources(file.resources) : undefined;
  const arms = fileArms(file).map((arm, index): ScenarioArm => {
    const own = file.arms?.[index];
    const resources = armResources(scenarioResources, own?.resources ? resolvePodResources(own.resources) : undefined, arm.proxy !== undefined);
    const sysctls = own?.sysctls ?? file.sysctls;
    return {
      name: arm.name,
      topology: arm.topology,
      ...(arm.proxy ? { proxy: resolveProxy(arm.proxy) } : {}),
      ...(resources ? { resources } : {}),
      ...(sysctls ? { sysctls } : {}),
      ...(arm.protocol && arm.protocol !== file.load.protocol ? { protocol: arm.protocol } : {}),
      ...(own?.conntrack ? { notrack: own.conntrack.notrack } : {}),
      ...((own?.app?.bind ?? file.app.bind) === '127.0.0.1' ? { appBind: '127.0.0.1' as const } : {}),
      ...(own?.load?.keepAlive === false ? { keepAlive: false as const } : {}),
      ...(own?.fault ? { fault: own.fault } : {}),
    };
  });
  return {
    name: file.name ?? basename(path, extname(path)),
    description: file.description ?? '',
    sourceFile: path,
    topologies: [...new Set(arms.map((arm) => arm.topology))],
    proxy: resolveProxy(file.proxy),
    arms,
    app: { responseBodyBytes: file.app.responseBody, serviceTimeUs: file.app.serviceTime, ...(file.app.keepAlive ? {} : { keepAlive: false }), ...(file.app.bind !== '0.0.0.0' ? { bind: file.app.bind } : {}) },
    load: resolveLoad(file.load, sweep),
    ...(scenarioResources ? { resources: scenarioResources } : {}),
    ...(file.sysctls ? { sysctls: file.sysctls } : {}),
    trials: file.gates.rounds ? file.gates.rounds.min : file.trials,
    warmupRounds: file.warmupRounds,
    ...(file.freshPodsEvery !== undefined ? { freshPodsEvery: file.freshPodsEvery } : {}),
    sampling: { intervalUs: file.sampling.interval },
    mtls: {
      trustDomain: file.mtls.trustDomain,
      namespace: file.mtls.namespace,
      clientServiceAccount: file.mtls.clientServiceAccount,
      serverServiceAccount: file.mtls.serverServiceAccount,
      keyAlgorithm: file.mtls.keyAlgorithm,
      svidTtlUs: file.mtls.svidTtl,
      tlsVersion: file.mtls.tlsVersion,
      ...(file.mtls.cipher ? { cipher: file.mtls.cipher } : {}),
      rotateDuringTrial: file.mtls.rotateDuringTrial,
      sessionResumption: file.mtls.sessionResumption,
    },
    ...(sweep ? { sweep } : {}),
    gates: resolveGates(file.gates),
    host: { keepCpusAwake: file.host.keepCpusAwake, ...(file.host.conntrackMax !== undefined ? { conntrackMax: file.host.conntrackMax } : {}) },
    placement: { cpusets },
  };
}

function resolvePodResources(file: FilePodResources): PodResources {
  return {
    ...(file.sidecar ? { sidecar: resolveContainerResources(file.sidecar) } : {}),
    ...(file.app ? { app: resolveContainerResources(file.app) } : {}),
  };
}

/** An arm's resources: its own entry per role over the scenario's; a sidecar entry only where there is a sidecar. */
function armResources(scenario: PodResources | undefined, own: PodResources | undefined, hasSidecar: boolean): PodResources | undefined {
  const sidecar = own?.sidecar ?? scenario?.sidecar;
  const app = own?.app ?? scenario?.app;
  const merged = { ...(sidecar && hasSidecar ? { sidecar } : {}), ...(app ? { app } : {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function resolveProxy(proxy: FileProxy): ProxySpec {
  return {
    profile: proxy.profile,
    ...(proxy.version ? { version: proxy.version } : {}),
    workerThreads: proxy.workerThreads,
    ...(proxy.image ? { image: proxy.image } : {}),
    ...(proxy.addedDelay !== undefined ? { addedDelayUs: proxy.addedDelay } : {}),
    ...(proxy.routeTimeout !== undefined ? { routeTimeoutUs: proxy.routeTimeout } : {}),
    ...(proxy.inboundEndpoint === 'pod-ip' ? { inboundEndpoint: 'pod-ip' as const } : {}),
  };
}

function resolveSweep(sweep: SweepFile): SweepSpec {
  const common = { ...(sweep.connectionsPer1kRps !== undefined ? { connectionsPer1kRps: sweep.connectionsPer1kRps } : {}), slo: { p99Us: sweep.slo.p99, maxErrorRate: sweep.slo.errorRate } };
  if (sweep.rates) return { kind: 'rates', ratesPerSecond: [...sweep.rates].sort((a, b) => a - b), ...common };
  // The schema requires one of rates and search.
  const search = sweep.search as NonNullable<SweepFile['search']>;
  return { kind: 'search', fromRps: search.from, toRps: search.to, maxSteps: search.steps, factor: search.factor, resolutionShare: search.resolution, ...common };
}

/** The first rate a sweep offers (every topology starts there). */
export function firstSweepRate(sweep: SweepSpec): number {
  return sweep.kind === 'rates' ? (sweep.ratesPerSecond[0] as number) : sweep.fromRps;
}

/** load.http2 / load.grpc written for arms of another protocol than load.protocol (absent when none: older results resolve as before). */
function otherProtocolSettings(load: ScenarioFile['load']): { protocolSettings?: ProtocolSettings } {
  const settings: ProtocolSettings = {
    ...(load.http2 && load.protocol !== 'http2' ? { http2: { streamsPerConnection: load.http2.streamsPerConnection } } : {}),
    ...(load.grpc && load.protocol !== 'grpc' ? { grpc: { streamsPerConnection: load.grpc.streamsPerConnection, grpcMethod: load.grpc.method } } : {}),
  };
  return Object.keys(settings).length > 0 ? { protocolSettings: settings } : {};
}

function resolveLoad(load: ScenarioFile['load'], sweep: SweepSpec | undefined): LoadSpec {
  const common = {
    connections: load.connections,
    warmupUs: load.warmup,
    durationUs: load.duration,
    timeoutUs: load.timeout,
    request: { method: load.request.method, path: load.request.path, bodyBytes: load.request.body },
    // Only what differs from HTTP/1.1, so HTTP/1.1 scenarios resolve (and compare with older results) as before.
    ...(load.protocol !== 'http1' ? { protocol: load.protocol } : {}),
    ...(streamsPerConnectionOf(load) > 1 ? { streamsPerConnection: streamsPerConnectionOf(load) } : {}),
    ...(load.protocol === 'grpc' ? { grpcMethod: load.grpc?.method ?? 'Unary' } : {}),
    ...otherProtocolSettings(load),
    ...(load.messageSize !== undefined ? { messageBytes: load.messageSize } : {}),
    ...(load.saturation ? { saturation: { connections: load.saturation.connections, durationUs: load.saturation.duration } } : {}),
    ...(load.closedCheck ? { closedCheck: { connections: load.closedCheck.connections, durationUs: load.closedCheck.duration } } : {}),
  };
  // The schema requires load.rate unless a sweep sets it per step.
  const rate = sweep ? firstSweepRate(sweep) : (load.model === 'open' ? load.rate : undefined) as number;
  return load.model === 'open' ? { model: 'open', ratePerSecond: rate, arrivals: load.arrivals, ...common } : { model: 'closed', ...common };
}

function resolveGates(gates: GatesFile): GatesSpec {
  const selector = (entry: GatesFile['thresholds'][number] | NonNullable<GatesFile['regressions']>[number]): GateSelector => ({
    topology: entry.topology,
    metric: entry.metric,
    ...(entry.statistic ? { statistic: entry.statistic } : {}),
    estimator: entry.estimator,
    role: entry.role,
    ...(entry.vs ? { vs: entry.vs } : {}),
  });
  // Limits were validated by the schema; parseLimit cannot fail here.
  const limit = (metric: keyof typeof GATE_METRICS, value: string | number) => parseLimit(GATE_METRICS[metric].unit, value) as number;
  return {
    inconclusive: gates.inconclusive,
    confidence: gates.confidence,
    thresholds: gates.thresholds.map((entry) => {
      const bound = entry.max !== undefined ? 'max' : 'min';
      const written = (entry.max ?? entry.min) as string | number;
      return { ...selector(entry), bound, limit: limit(entry.metric, written), limitText: String(written) };
    }),
    ...(gates.findings ? { findings: { failOn: [...new Set(gates.findings.failOn)] } } : {}),
    ...(gates.rounds
      ? { rounds: { min: gates.rounds.min, max: gates.rounds.max, ...(gates.rounds.budget ? { budgetUs: parseDurationUs(gates.rounds.budget) as number } : {}) } }
      : {}),
    ...(gates.regressions
      ? {
          regressions: gates.regressions.map((entry) => ({
            ...selector(entry),
            toleranceShare: parseLimit('percent', entry.tolerance) as number,
            floor: entry.floor === undefined ? 0 : limit(entry.metric, entry.floor),
          })),
        }
      : {}),
  };
}
