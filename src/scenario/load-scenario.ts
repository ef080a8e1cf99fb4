import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { BenchError } from '../errors.js';
import { checkedScenarioFileSchema, type ScenarioFile } from './schema.js';
import { GATE_METRICS, parseLimit, type GatesFile } from './gates-schema.js';
import type { GateSelector, GatesSpec, LoadSpec, Scenario } from './scenario.js';

/** Reads, parses and validates a scenario file; every problem is reported at once, with its line. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new BenchError('SB_SCENARIO_NOT_FOUND', `cannot read scenario ${path}: ${reason}`, [], 'Pass the path of a YAML file, e.g. scenarios/quickstart.yaml.');
  }
  return parseScenario(text, path);
}

export function parseScenario(text: string, path: string): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      const where = `${path}:${position.line}:${position.col}`;
      return `${where}  ${error.message.split('\n')[0]}`;
    });
    throw invalid(path, problems);
  }
  const parsed = checkedScenarioFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw invalid(path, parsed.error.issues.flatMap((issue) => describeIssue(issue, document, lineCounter, path)));
  }
  return resolveScenario(parsed.data, path);
}

function invalid(path: string, problems: string[]): BenchError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new BenchError(
    'SB_SCENARIO_INVALID',
    `${path} is not a valid scenario (${count}):`,
    problems,
    'See scenarios/quickstart.yaml for a complete, commented example.',
  );
}

function describeIssue(issue: z.core.$ZodIssue, document: Document, lines: LineCounter, path: string): string[] {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys.map((key) => {
    const fieldPath = key === undefined ? issue.path : [...issue.path, key];
    const field = formatFieldPath(fieldPath) || '(top level)';
    const message = key === undefined ? issue.message : `unknown field; remove it or check its spelling`;
    return `${locate(document, lines, path, fieldPath, key !== undefined)}  ${field}: ${message}`;
  });
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
  return {
    name: file.name ?? basename(path, extname(path)),
    description: file.description ?? '',
    sourceFile: path,
    topologies: file.topologies,
    proxy: {
      profile: file.proxy.profile,
      workerThreads: file.proxy.workerThreads,
      ...(file.proxy.image ? { image: file.proxy.image } : {}),
      ...(file.proxy.version !== undefined ? { version: file.proxy.version } : {}),
      ...(file.proxy.addedDelay !== undefined ? { addedDelayUs: file.proxy.addedDelay } : {}),
    },
    app: { responseBodyBytes: file.app.responseBody, serviceTimeUs: file.app.serviceTime },
    load: resolveLoad(file.load),
    trials: file.trials,
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
    },
    gates: resolveGates(file.gates),
    host: { keepCpusAwake: file.host.keepCpusAwake },
    placement: { cpusets },
  };
}

function resolveLoad(load: ScenarioFile['load']): LoadSpec {
  const common = {
    connections: load.connections,
    warmupUs: load.warmup,
    durationUs: load.duration,
    timeoutUs: load.timeout,
    request: { method: load.request.method, path: load.request.path, bodyBytes: load.request.body },
    ...(load.saturation ? { saturation: { connections: load.saturation.connections, durationUs: load.saturation.duration } } : {}),
  };
  return load.model === 'open' ? { model: 'open', ratePerSecond: load.rate, arrivals: load.arrivals, ...common } : { model: 'closed', ...common };
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
