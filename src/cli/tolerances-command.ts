import type { Command } from 'commander';
import { summarizeResults } from '../analysis/index.js';
import { BenchError } from '../errors.js';
import { planPairedTolerances, renderRegressionsYaml, renderTolerancePlan } from '../gate/tolerance-plan-run.js';
import { readResults } from '../results/index.js';
import { gatesOf } from './gate-check.js';
import { EXIT_OK, reportError } from './exit-codes.js';
import { wholeFlag } from './flags.js';

interface TolerancesFlags {
  minRounds?: string;
  maxRounds?: string;
  power: string;
  simulations: string;
  seed: string;
}


/**
 * `sidecar-bench tolerances <results.json>`: from an A/A run (a scenario interleaved with itself),
 * the smallest regression tolerance per check that the sequential gate decides on this machine,
 * and the `gates.regressions` YAML to paste. Exit 0, or 2 for bad input (not an A/A run, flags).
 */
export function registerTolerancesCommand(program: Command): Command {
  return program
    .command('tolerances')
    .description('from an A/A run (run X.yaml --interleave-with X.yaml), the smallest regression tolerances this machine can decide, as gates.regressions YAML')
    .argument('<results>', 'the A/A run’s results.json')
    .option('--min-rounds <n>', 'the gate’s first look (default: the run’s gates.rounds min, else 6)')
    .option('--max-rounds <n>', 'the gate’s round budget (default: the run’s gates.rounds max, else 30)')
    .option('--power <percent>', 'share of simulated A/A gates that must decide and pass', '95%')
    .option('--simulations <n>', 'simulated gates per tolerance and direction', '1000')
    .option('--seed <n>', 'the bootstrap’s seed (the same seed gives the same answer)', '1')
    .action(async (resultsPath: string, flags: TolerancesFlags) => {
      try {
        const power = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(flags.power);
        if (!power || Number(power[1]) < 50 || Number(power[1]) > 99.9) throw new BenchError('SB_SCENARIO_INVALID', `--power: expected a percentage from 50% to 99.9% like 95%; got "${flags.power}"`);
        const results = await readResults(resultsPath);
        const gates = gatesOf(results);
        const minRounds = flags.minRounds !== undefined ? wholeFlag('min-rounds', flags.minRounds, 2, 100) : (results.rounds?.min ?? 6);
        const maxRounds = flags.maxRounds !== undefined ? wholeFlag('max-rounds', flags.maxRounds, 2, 100) : (results.rounds?.max ?? 30);
        if (maxRounds < minRounds) throw new BenchError('SB_SCENARIO_INVALID', `--max-rounds: expected at least the minimum, ${minRounds}; got ${maxRounds}`);
        const options = {
          minRounds,
          maxRounds,
          confidence: gates.confidence,
          power: Number(power[1]) / 100,
          simulations: wholeFlag('simulations', flags.simulations, 100, 100_000),
          seed: wholeFlag('seed', flags.seed, 0, 2 ** 31),
        };
        const plans = planPairedTolerances(results, summarizeResults(results), options);
        if (plans.every((plan) => !plan.plan)) {
          throw new BenchError('SB_RESULTS_INVALID', `${resultsPath}: no check could be planned`, plans.map((plan) => `${plan.arm} ${plan.label}: ${plan.unmeasured ?? ''}`));
        }
        process.stdout.write(`${renderTolerancePlan(plans, options)}\n\n${renderRegressionsYaml(plans, options)}`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
