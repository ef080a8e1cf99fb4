import type { Command } from 'commander';
import { summarizeResults } from '../analysis/index.js';
import { BenchError } from '../errors.js';
import { readResults } from '../results/index.js';
import { parseRatePerSecond } from '../scenario/index.js';
import { renderResourcesYaml, sizeSidecar, validateResourceRequirements, resourceRequirementsOf } from '../sizing/index.js';
import { EXIT_OK, reportError } from './exit-codes.js';
import { wholeFlag } from './flags.js';

interface PlanFlags {
  target: string;
  headroom: string;
  services: string;
  replicas: string;
  topology?: string;
}


/** `sidecar-bench plan <results.json> --target 5000/s --headroom 30%`: the sidecar's Kubernetes resources from a capacity run. */
export function registerPlanCommand(program: Command): Command {
  return program
    .command('plan')
    .description('size the sidecar from a capacity run (a scenario with sweep:): its Kubernetes resources as YAML, the concurrency, the cluster totals')
    .argument('<results>', 'path of a results.json from a run with a rate sweep')
    .requiredOption('--target <rate>', 'req/s each service must carry, e.g. 5000/s')
    .option('--headroom <percent>', 'extra on the limits, e.g. 30%', '30%')
    .option('--services <n>', 'services in the mesh (for the cluster totals)', '1')
    .option('--replicas <m>', 'replicas per service (the target is spread over them)', '1')
    .option('--topology <name>', 'the swept topology to size from (default: sidecar, else the first with a sidecar)')
    .action(async (resultsPath: string, flags: PlanFlags) => {
      try {
        const targetRps = parseRatePerSecond(flags.target);
        if (targetRps === undefined || targetRps <= 0) throw new BenchError('SB_SCENARIO_INVALID', `--target: expected a rate above 0 like 5000/s; got "${flags.target}"`);
        const headroom = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(flags.headroom);
        if (!headroom || Number(headroom[1]) > 1000) throw new BenchError('SB_SCENARIO_INVALID', `--headroom: expected a percentage from 0% to 1000% like 30%; got "${flags.headroom}"`);
        const services = wholeFlag('services', flags.services);
        const replicas = wholeFlag('replicas', flags.replicas);
        const results = await readResults(resultsPath);
        const summary = summarizeResults(results);
        if (!summary.capacity) throw new BenchError('SB_RESULTS_INVALID', `${resultsPath}: not a capacity run (its scenario has no sweep:); run scenarios/capacity.yaml or add a sweep: section`);
        const scenarioProxy = (results.scenario as { proxy?: { workerThreads?: number } }).proxy;
        const sizing = sizeSidecar(summary.capacity, {
          targetRps,
          headroomShare: Number(headroom[1]) / 100,
          services,
          replicas,
          ...(flags.topology ? { topology: flags.topology } : {}),
          ...(scenarioProxy?.workerThreads ? { measuredWorkerThreads: scenarioProxy.workerThreads } : {}),
        });
        // The YAML must be a valid core/v1 ResourceRequirements: checked against the Kubernetes OpenAPI schema before printing.
        validateResourceRequirements(resourceRequirementsOf(sizing), { cpuMillis: [sizing.requests.cpuMillis, sizing.limits.cpuMillis], memoryBytes: [sizing.requests.memoryBytes, sizing.limits.memoryBytes] });
        process.stdout.write(
          renderResourcesYaml(sizing, { runId: results.run.id, scenario: results.scenario.name, targetRps, headroomShare: Number(headroom[1]) / 100, services, replicas, slo: summary.capacity.slo }),
        );
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
