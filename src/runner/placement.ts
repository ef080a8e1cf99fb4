import type { Scenario } from '../scenario/index.js';

export interface Placement {
  clientCpus?: string;
  serverCpus?: string;
  /** Why the scenario's wish could not be honoured, if it could not. */
  note?: string;
}

function formatCpus(cpus: readonly number[]): string {
  return cpus.join(',');
}

/**
 * Where pods run. "split" gives the client pod the first half of the online CPUs and the server pod
 * the rest, so load generator and server never steal each other's core.
 */
export function resolvePlacement(scenario: Scenario, onlineCpus: readonly number[]): Placement {
  const { cpusets } = scenario.placement;
  if (cpusets === 'none') return {};
  if (typeof cpusets === 'object') return { clientCpus: cpusets.client, serverCpus: cpusets.server };
  if (onlineCpus.length < 2) return { note: `placement.cpusets is "split" but only ${onlineCpus.length} CPU is online; pods are not pinned` };
  const half = Math.floor(onlineCpus.length / 2);
  return { clientCpus: formatCpus(onlineCpus.slice(0, half)), serverCpus: formatCpus(onlineCpus.slice(half)) };
}
