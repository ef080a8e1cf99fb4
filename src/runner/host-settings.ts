/**
 * The scenario's host settings that change the machine for the trials (host.conntrackMax), checked
 * before anything is made and applied only around the trials, so the host runs changed for as short
 * a time as the fault needs.
 */
import { readFileSync } from 'node:fs';
import { BenchError } from '../errors.js';
import { HostSysctls, sysctlPath, whySysctlCannotBeWritten } from '../host/host-sysctls.js';
import type { Progress } from '../progress.js';
import type { Scenario } from '../scenario/index.js';

export const CONNTRACK_MAX_KEY = 'net.netfilter.nf_conntrack_max';
const CONNTRACK_COUNT_KEY = 'net.netfilter.nf_conntrack_count';

/**
 * Refuses (SB_SCENARIO_INVALID, exit 2, nothing made yet) a host.conntrackMax this process cannot
 * write, or one that would leave the host's own network namespace too little room: the limit is
 * global, so the host's tracked connections (Docker's NAT, the bridge's traffic) count against it too.
 */
export function checkHostSettings(scenario: Scenario, procRoot = '/proc'): void {
  const max = scenario.host.conntrackMax;
  if (max === undefined) return;
  const field = `${scenario.sourceFile}: host.conntrackMax`;
  const why = whySysctlCannotBeWritten(CONNTRACK_MAX_KEY, procRoot);
  if (why) throw new BenchError('SB_SCENARIO_INVALID', `${field} cannot be applied: ${why}`, [], 'Run sidecar-bench as root on the host itself (not in a container), or remove host.conntrackMax from the scenario.');
  const hostEntries = Number(readFileSync(sysctlPath(CONNTRACK_COUNT_KEY, procRoot), 'utf8').trim());
  if (Number.isFinite(hostEntries) && max < 2 * hostEntries) {
    throw new BenchError('SB_SCENARIO_INVALID', `${field}: ${max} would leave the host too little room: its own network namespace tracks ${hostEntries} connections now, and the limit is global (expected at least ${2 * hostEntries})`, [], 'Raise host.conntrackMax, or run when the host is quieter.');
  }
}

/**
 * Lowers the host's nf_conntrack_max to the scenario's value until `settings.restoreAll()`; a value
 * at or below the wanted one is left as it is. Throws SB_SCENARIO_INVALID when the change cannot be
 * made (another live run holds it, or a killed run's change is not undone yet).
 */
export function applyHostSettings(scenario: Scenario, settings: HostSysctls, progress: Progress): void {
  const max = scenario.host.conntrackMax;
  if (max === undefined) return;
  const current = Number(settings.read(CONNTRACK_MAX_KEY));
  if (current <= max) {
    progress.info(`host.conntrackMax: the host's ${CONNTRACK_MAX_KEY} is already ${current} (≤ ${max}); left as it is`);
    return;
  }
  try {
    settings.set(CONNTRACK_MAX_KEY, String(max));
  } catch (error) {
    throw new BenchError('SB_SCENARIO_INVALID', `${scenario.sourceFile}: host.conntrackMax cannot be applied: ${error instanceof Error ? error.message : String(error)}`, [], 'Wait for the other run, or run `sidecar-bench clean` after a killed one.');
  }
  progress.info(`host.conntrackMax: lowered the host's ${CONNTRACK_MAX_KEY} from ${current} to ${max} for the trials (restored after them)`);
}

/** Restores what {@link applyHostSettings} changed, saying so; returns what could not be restored. */
export function restoreHostSettings(settings: HostSysctls, progress: Progress): string[] {
  const changed = settings.changed;
  if (changed.length === 0) return [];
  const problems = settings.restoreAllSync();
  if (problems.length > 0) progress.warn(`could not restore host settings: ${problems.join('; ')}`);
  else progress.info(`restored the host's ${changed.map((change) => `${change.key} to ${change.originalValue}`).join(', ')}`);
  return problems;
}
