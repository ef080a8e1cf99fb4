/**
 * `sidecar-bench clean`: removes the containers and networks of runs whose process is gone (a run
 * killed with SIGKILL, a crashed machine). A live run's resources are never touched; those whose
 * owner cannot be decided (another host, no owner labels) only with `--run <id>`.
 */
import type { Command } from 'commander';
import type Dockerode from 'dockerode';
import { connectDocker } from '../runtime/docker-env.js';
import { describeRun, findRunResources, orphanedRuns, removeRuns, type RunLeftovers } from '../runtime/orphans.js';
import type { Progress } from '../progress.js';
import { restoreLeftHostSettings } from '../host/host-sysctls.js';
import { EXIT_CANNOT_RUN, EXIT_OK, reportError } from './exit-codes.js';

interface CleanFlags {
  run?: string[];
  dryRun?: boolean;
}

/** Adds `clean` to the program; its action sets process.exitCode. */
export function registerCleanCommand(program: Command): Command {
  return program
    .command('clean')
    .description('remove the containers and networks of runs whose process is gone (killed, crashed), and restore the host settings they changed; a live run’s are left alone')
    .option('--run <id...>', 'also remove these runs when their owner cannot be decided (never a live run)')
    .option('--dry-run', 'only list what would be removed')
    .action(async (flags: CleanFlags) => {
      process.exitCode = await cleanCommand(flags, process.stdout);
    });
}

async function cleanCommand(flags: CleanFlags, out: { write(text: string): unknown }): Promise<number> {
  try {
    // Host settings first: they need no engine, and a lowered host limit hurts the whole machine.
    const settings = restoreLeftHostSettings({ dryRun: Boolean(flags.dryRun) });
    for (const setting of settings) out.write(`host setting: ${setting.detail}\n`);
    const settingsFailed = settings.some((setting) => setting.outcome === 'failed');
    if (settingsFailed) process.exitCode = EXIT_CANNOT_RUN;
    const { dockerode } = await connectDocker();
    const runs = await findRunResources(dockerode);
    const named = new Set(flags.run ?? []);
    const unknownNames = [...named].filter((id) => !runs.some((run) => run.runId === id));
    const chosen = runs.filter((run) => run.status.state === 'gone' || (named.has(run.runId) && run.status.state === 'unknown'));
    for (const run of runs.filter((candidate) => !chosen.includes(candidate))) out.write(`left alone: ${describeRun(run)}\n`);
    for (const id of unknownNames) out.write(`no resources of run ${id}\n`);
    if (chosen.length === 0) {
      out.write('nothing to remove: no resources of killed runs\n');
      return settingsFailed ? EXIT_CANNOT_RUN : EXIT_OK;
    }
    for (const run of chosen) out.write(`${flags.dryRun ? 'would remove' : 'removing'}: ${describeRun(run)}\n`);
    if (flags.dryRun) return EXIT_OK;
    const problems = await removeRuns(dockerode, chosen);
    for (const problem of problems) out.write(`could not remove: ${problem}\n`);
    const containers = chosen.reduce((sum, run) => sum + run.containers.length, 0);
    const networks = chosen.reduce((sum, run) => sum + run.networks.length, 0);
    out.write(`${problems.length > 0 ? 'partly removed' : 'removed'} ${containers} container(s) and ${networks} network(s) of ${chosen.length} run(s)\n`);
    return problems.length > 0 || settingsFailed ? EXIT_CANNOT_RUN : EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

/**
 * Before a run: removes (or, with `clean: false`, only reports) what killed runs left behind, so
 * their containers do not share the CPUs with this run. An unreachable engine is left to the run
 * itself to report.
 */
export async function cleanBeforeRun(clean: boolean, progress: Progress, connect: () => Promise<{ dockerode: Dockerode }> = connectDocker): Promise<void> {
  for (const setting of restoreLeftHostSettings({ dryRun: !clean })) {
    if (setting.outcome === 'restored' || setting.outcome === 'already-reset') progress.info(`host setting a killed run left changed: ${setting.detail}`);
    else if (setting.outcome === 'would-restore') progress.warn(`host setting left changed (--no-clean): ${setting.detail}; \`sidecar-bench clean\` restores it`);
    else if (setting.outcome !== 'left-alone') progress.warn(`host setting: ${setting.detail}`);
  }
  let runs: RunLeftovers[];
  let dockerode: Dockerode;
  try {
    ({ dockerode } = await connect());
    runs = orphanedRuns(await findRunResources(dockerode));
  } catch {
    return;
  }
  if (runs.length === 0) return;
  if (!clean) {
    for (const run of runs) progress.warn(`left in place (--no-clean): ${describeRun(run)}; \`sidecar-bench clean\` removes them`);
    return;
  }
  const task = progress.start(`Removing what ${runs.length} killed run(s) left behind`);
  const problems = await removeRuns(dockerode, runs);
  if (problems.length > 0) task.fail(`could not remove: ${problems.join('; ')}`);
  else task.succeed(`removed what killed runs left behind: ${runs.map(describeRun).join('; ')}`);
}
