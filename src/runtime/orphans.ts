/**
 * Resources of runs whose process is gone (killed with SIGKILL, OOM-killed, a crashed machine):
 * found by label, reported by `doctor` and `run`, removed by `sidecar-bench clean` and (unless
 * `--no-clean`) by `run`. A live run's resources, and those whose owner cannot be decided, are
 * never touched.
 */
import type Dockerode from 'dockerode';
import { RUN_ID_LABEL, RunResources } from './run-resources.js';
import { ownerFromLabels, ownerState, realProc, type OwnerState, type ProcView, type RunOwner } from './run-owner.js';

/** One run's containers and networks that still exist, with what is known of its owner. */
export interface RunLeftovers {
  runId: string;
  owner?: RunOwner;
  /** Whether its owner lives: only `gone` runs are removed. */
  status: OwnerState;
  /** Container names (without the leading "/"), with their state, e.g. "sb-…-loadgen (running)". */
  containers: string[];
  networks: string[];
}

/** Every sidecar-bench run that has containers or networks on this engine, grouped by run id. */
export async function findRunResources(dockerode: Dockerode, proc: ProcView = realProc): Promise<RunLeftovers[]> {
  const filters = { label: [RUN_ID_LABEL] };
  const [containers, networks] = await Promise.all([dockerode.listContainers({ all: true, filters }), dockerode.listNetworks({ filters })]);
  const runs = new Map<string, { labels: Record<string, string>[]; containers: string[]; networks: string[] }>();
  const entry = (labels: Record<string, string>) => {
    const runId = labels[RUN_ID_LABEL] as string;
    let run = runs.get(runId);
    if (!run) runs.set(runId, (run = { labels: [], containers: [], networks: [] }));
    run.labels.push(labels);
    return run;
  };
  for (const container of containers) entry(container.Labels).containers.push(`${(container.Names[0] ?? container.Id).replace(/^\//, '')} (${container.State})`);
  for (const network of networks) entry(network.Labels ?? {}).networks.push(network.Name);
  return [...runs.entries()]
    .map(([runId, run]) => {
      const owner = run.labels.map(ownerFromLabels).find((found) => found !== undefined);
      return { runId, ...(owner ? { owner } : {}), status: ownerState(owner, proc), containers: run.containers.sort(), networks: run.networks.sort() };
    })
    .sort((a, b) => a.runId.localeCompare(b.runId));
}

/** The runs whose owner is gone. */
export function orphanedRuns(runs: readonly RunLeftovers[]): RunLeftovers[] {
  return runs.filter((run) => run.status.state === 'gone');
}

/** Removes every container, then every network, of each run. Returns what could not be removed. */
export async function removeRuns(dockerode: Dockerode, runs: readonly RunLeftovers[]): Promise<string[]> {
  const problems: string[] = [];
  for (const run of runs) {
    // The owner passed here only labels new resources; removal selects by run id alone.
    const resources = new RunResources(dockerode, run.runId, run.owner ?? { host: '', bootId: '', pid: 0, startTicks: 0 });
    problems.push(...(await resources.removeAll()).map((problem) => `run ${run.runId}: ${problem}`));
  }
  return problems;
}

/** "run 20261130091500-ab12: 6 containers, 1 network; its process (pid 4242) has exited". */
export function describeRun(run: RunLeftovers): string {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return `run ${run.runId}: ${count(run.containers.length, 'container')}, ${count(run.networks.length, 'network')}; ${run.status.reason}`;
}
