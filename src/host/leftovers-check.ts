import { describeRun } from '../runtime/orphans.js';
import type { CheckResult, DockerOutcome } from './checks.js';
import { restoreLeftHostSettings, type LeftHostSetting } from './host-sysctls.js';

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'warn', detail, fix });

/**
 * No containers or networks left by runs whose process is gone (killed with SIGKILL, a crash):
 * they hold CPU, memory and addresses, and a leftover load agent would disturb the next run.
 * A live run's resources are only mentioned; those whose owner cannot be decided are a warning.
 */
export async function checkLeftovers(docker: DockerOutcome, leftSettings: () => LeftHostSetting[] = () => restoreLeftHostSettings({ dryRun: true })): Promise<CheckResult> {
  const name = 'leftovers';
  // A host limit a killed run left lowered hurts the whole machine: said first, engine or not.
  const settings = leftSettings().filter((setting) => setting.outcome === 'would-restore');
  if (settings.length > 0) {
    return warn(name, `a killed run left host settings changed:\n${settings.map((setting) => `      ${setting.detail}`).join('\n')}`, '`sidecar-bench clean` restores them (and `sidecar-bench run` does, unless --no-clean), with the containers they left.');
  }
  if (!docker.reachable) return warn(name, 'not checked: Docker engine unreachable', 'Fix the Docker engine check first.');
  const runs = await docker.probe.runResources();
  const gone = runs.filter((run) => run.status.state === 'gone');
  const unknown = runs.filter((run) => run.status.state === 'unknown');
  const alive = runs.filter((run) => run.status.state === 'alive');
  const liveNote = alive.length > 0 ? ` (${alive.length} live run${alive.length === 1 ? '' : 's'} in progress, left alone)` : '';
  if (gone.length > 0) {
    return warn(name, `${gone.length} run${gone.length === 1 ? '' : 's'} whose process is gone left resources behind:\n${gone.map((run) => `      ${describeRun(run)}`).join('\n')}${liveNote}`, '`sidecar-bench clean` removes them (and `sidecar-bench run` does, unless --no-clean).');
  }
  if (unknown.length > 0) {
    return warn(
      name,
      `resources whose owner cannot be told apart from a live run's:\n${unknown.map((run) => `      ${describeRun(run)}`).join('\n')}${liveNote}`,
      'If no sidecar-bench run is in progress there, `sidecar-bench clean --run <id>` removes one.',
    );
  }
  return ok(name, `no resources of killed runs${liveNote}`);
}
