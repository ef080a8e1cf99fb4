import type { Results } from '../results/schema.js';

/**
 * One way two runs differ. "incompatible": the runs did not measure the same thing on the same
 * machine (load, app, topologies, placement, CPU, kernel…), so a change between them cannot be
 * pinned on anything; "noted": what a baseline comparison is for (the proxy, its version, mTLS
 * settings) or harmless (trial counts, tool versions), said but never refused.
 */
export interface RunDifference {
  /** Dotted field path, e.g. "load.ratePerSecond", "host.kernel", "proxyVersions.haproxy". */
  field: string;
  candidate: string;
  baseline: string;
  kind: 'incompatible' | 'noted';
}

type Json = unknown;

/** Scenario sections whose difference makes two runs incomparable, and those that are the change under test. */
const INCOMPATIBLE_SCENARIO = ['topologies', 'load', 'app', 'placement', 'sampling', 'host'] as const;
const NOTED_SCENARIO = ['proxy', 'mtls', 'trials', 'resources', 'sysctls'] as const;
const INCOMPATIBLE_HOST = ['cpuModel', 'logicalCores', 'aesNi', 'avx2', 'kernel', 'cgroupVersion'] as const;
const NOTED_HOST = ['os', 'dockerVersion', 'nodeVersion', 'cpuIdleDriver'] as const;
/** Leaf differences listed per section before "…" (a whole different load section is one finding). */
const MAX_LEAVES = 6;

const show = (value: Json): string => (value === undefined ? '(absent)' : typeof value === 'string' ? value : JSON.stringify(value));

/** The leaves where two JSON values differ: [path, candidate, baseline]. */
function leafDifferences(path: string, candidate: Json, baseline: Json): [string, Json, Json][] {
  const isRecord = (value: Json): value is Record<string, Json> => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isRecord(candidate) && isRecord(baseline)) {
    const keys = [...new Set([...Object.keys(candidate), ...Object.keys(baseline)])];
    return keys.flatMap((key) => leafDifferences(`${path}.${key}`, candidate[key], baseline[key]));
  }
  return JSON.stringify(candidate) === JSON.stringify(baseline) ? [] : [[path, candidate, baseline]];
}

function section(prefix: string, candidate: Json, baseline: Json, kind: RunDifference['kind']): RunDifference[] {
  const leaves = leafDifferences(prefix, candidate, baseline);
  // A field only one run has comes from another sidecar-bench version: said, but it cannot prove the runs differ.
  const listed = leaves.slice(0, MAX_LEAVES).map(([field, a, b]): RunDifference => ({ field, candidate: show(a), baseline: show(b), kind: a === undefined || b === undefined ? 'noted' : kind }));
  if (leaves.length > listed.length) listed.push({ field: `${prefix} (${leaves.length - listed.length} more fields)`, candidate: '…', baseline: '…', kind });
  return listed;
}

/** What differs between the scenarios two runs were made with (as results.json keeps them, units resolved). */
export function compareScenarios(candidate: Record<string, Json>, baseline: Record<string, Json>): RunDifference[] {
  return [
    ...INCOMPATIBLE_SCENARIO.flatMap((key) => section(key, candidate[key], baseline[key], 'incompatible')),
    ...NOTED_SCENARIO.flatMap((key) => section(key, candidate[key], baseline[key], 'noted')),
  ];
}

/**
 * Everything that differs between a run and the baseline it is gated against: scenario content
 * (topologies, load, app, placement, proxy, mTLS), the host fingerprint and the proxy versions.
 */
export function compareRuns(candidate: Results, baseline: Results): RunDifference[] {
  return [
    ...compareScenarios(candidate.scenario, baseline.scenario),
    ...INCOMPATIBLE_HOST.flatMap((key) => section(`host.${key}`, candidate.host[key], baseline.host[key], 'incompatible')),
    ...NOTED_HOST.flatMap((key) => section(`host.${key}`, candidate.host[key], baseline.host[key], 'noted')),
    ...section('proxyVersions', candidate.proxyVersions, baseline.proxyVersions, 'noted'),
    ...section('tool.version', candidate.tool.version, baseline.tool.version, 'noted'),
  ];
}

/** "load.ratePerSecond: 1000 in this run, 500 in the baseline". */
export function describeDifference(difference: RunDifference): string {
  return `${difference.field}: ${difference.candidate} in this run, ${difference.baseline} in the baseline`;
}
