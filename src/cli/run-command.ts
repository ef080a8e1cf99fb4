import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { renderTerminalSummary } from '../report/index.js';
import { BenchError } from '../errors.js';
import { pairedArms, pairingProblems, scenarioArms } from '../runner/arms.js';
import { runScenario, writeReports } from '../runner/index.js';
import { loadScenario } from '../scenario/index.js';
import { EXIT_CANNOT_RUN, EXIT_INTERRUPTED, EXIT_OK, reportError } from './exit-codes.js';
import { cleanBeforeRun } from './clean-command.js';
import { DEFAULT_MAX_DURATION, planOrRefuse } from './plan-check.js';
import { checkComparable, exitCodeOf, gateRun, gateSoFar, wantsGate, type GateFlags } from './gate-check.js';
import { compareScenarios } from '../gate/index.js';
import { readResults } from '../results/index.js';
import { createProgressDisplay } from './progress-display.js';
import { interruptibly } from './interrupts.js';
import { TOOL_VERSION } from './version.js';

export const DEFAULT_SCENARIO = 'scenarios/quickstart.yaml';

interface RunFlags extends GateFlags {
  reportsDir: string;
  interleaveWith?: string;
  maxDuration: string;
  /** false with --no-clean: leave what killed runs left behind. */
  clean: boolean;
}

export function registerRunCommand(program: Command): Command {
  return program
    .command('run')
    .description('run a scenario on real containers and write results.json and an HTML report')
    .argument('[scenario]', 'scenario file (YAML)', DEFAULT_SCENARIO)
    .option('--reports-dir <dir>', 'where the run folder is created', 'reports')
    .option('--baseline <results>', 'a baseline run’s results.json: the gate also judges regressions against it')
    .option('--allow-different', 'judge against a --baseline that is not comparable (other load, app, topologies or host); every verdict then says what differs')
    .option('--interleave-with <scenario>', 'run this baseline configuration in the same run, round by round, and judge regressions against it (robust to machine drift)')
    .option('--no-clean', 'do not remove the containers and networks that killed runs left behind (they are still reported)')
    .option('--max-duration <duration>', 'refuse to start a run planned to take longer than this (e.g. 90m, 3h)', DEFAULT_MAX_DURATION)
    .addOption(new Option('--inconclusive <policy>', 'exit code when a gate check is too noisy to judge (default: the scenario’s gates.inconclusive)').choices(['pass', 'fail']))
    .action(async (scenarioPath: string, flags: RunFlags) => {
      process.exitCode = await runCommand(scenarioPath, flags);
    });
}

async function runCommand(scenarioPath: string, flags: RunFlags): Promise<number> {
  try {
    const scenario = await loadScenario(scenarioPath);
    // An incomparable --baseline is refused before anything starts, not after the whole run.
    if (flags.baseline) checkComparable(compareScenarios(JSON.parse(JSON.stringify(scenario)) as Record<string, unknown>, (await readResults(flags.baseline)).scenario), flags);
    const baselineScenario = flags.interleaveWith ? await loadScenario(flags.interleaveWith) : undefined;
    const problems = baselineScenario ? pairingProblems(scenario, baselineScenario) : [];
    if (problems.length > 0) throw new BenchError('SB_SCENARIO_INVALID', `--interleave-with: ${flags.interleaveWith} cannot be run beside ${scenarioPath}:`, problems, 'Only proxy and mtls settings may differ between the two.');
    const progress = createProgressDisplay();
    const arms = baselineScenario ? pairedArms(scenario, baselineScenario) : scenarioArms(scenario);
    planOrRefuse(scenario, { count: arms.length, ...(baselineScenario ? { label: 'arms' } : {}) }, flags.maxDuration, progress);
    await cleanBeforeRun(flags.clean, progress);
    const judgeSoFar = scenario.gates.rounds ? await gateSoFar(flags) : undefined;
    const outcome = await interruptibly((signal, onCleanup) =>
      runScenario({
        scenario,
        ...(baselineScenario ? { baselineScenario } : {}),
        reportsDir: resolve(flags.reportsDir),
        progress,
        signal,
        onCleanup,
        toolVersion: TOOL_VERSION,
        ...(judgeSoFar ? { gateSoFar: judgeSoFar } : {}),
      }),
    );
    process.stdout.write(`\n${renderTerminalSummary(outcome.summary, { color: Boolean(process.stdout.isTTY) })}\n`);
    if (outcome.outputDir) process.stdout.write(`\nresults: ${outcome.outputDir}/results.json\nreport:  ${outcome.outputDir}/index.html\n`);
    // Whatever happened, a run that kept trials gets its junit.xml, summary.md and gated report.
    let gateExit = EXIT_OK;
    if (outcome.outputDir && wantsGate(outcome.results, flags)) {
      const { result, markdown } = await gateRun(outcome.results, outcome.summary, outcome.outputDir, flags);
      await writeReports(outcome.outputDir, outcome.results, outcome.summary, result);
      process.stdout.write(`\n${markdown}\ngate: ${outcome.outputDir}/junit.xml, ${outcome.outputDir}/summary.md\n`);
      gateExit = exitCodeOf(result);
    }
    const { status, error } = outcome.results.run;
    if (status === 'interrupted') {
      process.stderr.write('sidecar-bench: interrupted; the trials measured so far are kept above.\n');
      return EXIT_INTERRUPTED;
    }
    if (status === 'failed') {
      process.stderr.write(`sidecar-bench: the run failed part-way: ${error?.message ?? 'unknown error'}\n`);
      return EXIT_CANNOT_RUN;
    }
    const failedTrials = outcome.results.trials.filter((trial) => trial.state === 'failed').length;
    if (failedTrials > 0) {
      process.stderr.write(`sidecar-bench: ${failedTrials} trial(s) failed; see the report.\n`);
      return EXIT_CANNOT_RUN;
    }
    return gateExit;
  } catch (error) {
    return reportError(error);
  }
}
