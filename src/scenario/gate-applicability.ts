import { TOPOLOGY_CATALOG, hasSidecar, type TopologyName } from '../topology/catalog.js';
import type { GateEstimator, GateMetric } from './gates-schema.js';

/** The topology overheads are measured against (analysis/summarize.ts: BASELINE_TOPOLOGY). */
export const REFERENCE_TOPOLOGY = 'app-only';

/** What decides whether a gate can apply to a topology: its metric and the fields that qualify it. */
export interface GateTarget {
  metric: GateMetric;
  estimator: GateEstimator;
  role: 'sidecar' | 'app' | 'loadgen';
  vs?: string;
}

/** One measured thing, as far as a gate cares: its name and whether any of its pods has a sidecar. */
export interface ArmFacts {
  name: string;
  hasSidecar: boolean;
}

/** Whether the metric reads a sidecar's own figures (CPU, memory, context switches, its header). */
export function needsSidecar(target: GateTarget): boolean {
  switch (target.metric) {
    case 'sidecar-vcpu-per-1k-rps':
    case 'sidecar-rss':
      return true;
    case 'ctx-switches-per-second-per-core':
      return target.role === 'sidecar';
    case 'overhead':
      return target.estimator === 'header';
    default:
      return false;
  }
}

/**
 * Why a gate can never apply to an arm, whatever the run measures; undefined when it can. Used at
 * load (refuse the gate, naming its field) and by the gate (a "*" gate skips such arms; a named one
 * reports "not evaluated").
 * @param reference the topology overheads are measured against.
 */
export function whyGateCannotApply(target: GateTarget, arm: ArmFacts, reference: string = REFERENCE_TOPOLOGY): string | undefined {
  if (needsSidecar(target) && !arm.hasSidecar) {
    const what = target.metric === 'overhead' ? 'the header estimator reads the sidecar’s x-envoy-upstream-service-time' : `${target.metric}${target.metric === 'ctx-switches-per-second-per-core' ? ' of role sidecar' : ''} reads a sidecar`;
    return `${arm.name} has no sidecar and ${what}`;
  }
  if (target.metric === 'overhead' && arm.name === reference) return `${arm.name} is the reference overhead is measured against (its overhead is 0 by definition)`;
  if (target.metric === 'throughput-drop' && target.vs === arm.name) return `a throughput drop of ${arm.name} against itself is 0 by definition`;
  return undefined;
}

/** Whether a topology of the catalog has a sidecar in either pod; a name outside it is assumed to (so its gates are judged, not skipped). */
export function topologyHasSidecar(topology: string): boolean {
  return topology in TOPOLOGY_CATALOG ? hasSidecar(topology as TopologyName) : true;
}
