import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BenchError } from '../errors.js';
import { proxyDriver } from '../proxies/registry.js';
import { renderTerminalSummary } from '../report/index.js';
import { calibrationArms } from '../runner/arms.js';
import { runScenario } from '../runner/index.js';
import { loadScenario, parseDurationUs } from '../scenario/index.js';
import { topologyDefinition } from '../topology/index.js';
import { EXIT_CANNOT_RUN, EXIT_GATE_FAILED, EXIT_INTERRUPTED, EXIT_OK, reportError } from './exit-codes.js';
import { interruptibly } from './interrupts.js';
import { DEFAULT_MAX_DURATION, planOrRefuse } from './plan-check.js';
import { createProgressDisplay } from './progress-display.js';
import { TOOL_VERSION } from './version.js';

export const DEFAULT_CALIBRATION_SCENARIO = 'scenarios/calibrate.yaml';
export const DEFAULT_DELAYS = '0.5ms,1ms,5ms';

interface CalibrateFlags {
  delays: string;
  reportsDir: string;
  maxDuration: string;
}

export function registerCalibrateCommand(program: Command): Command {
  return program
    .command('calibrate')
    .description('inject known delays in the sidecar and check that every estimator attributes exactly them (plus an A/A check)')
    .argument('[scenario]', 'scenario giving the topology, proxy and load', DEFAULT_CALIBRATION_SCENARIO)
    .option('--delays <list>', 'delays to inject, comma-separated, with units', DEFAULT_DELAYS)
    .option('--reports-dir <dir>', 'where the run folder is created', 'reports')
    .option('--max-duration <duration>', 'refuse to start a calibration planned to take longer than this (e.g. 90m, 3h)', DEFAULT_MAX_DURATION)
    .action(async (scenarioPath: string, flags: CalibrateFlags) => {
      process.exitCode = await calibrate(scenarioPath, flags);
    });
}

export function parseDelays(text: string): number[] {
  const delays = text.split(',').map((part) => ({ part: part.trim(), us: parseDurationUs(part.trim()) }));
  const bad = delays.filter((delay) => delay.us === undefined || delay.us <= 0);
  if (bad.length > 0) {
    throw new BenchError('SB_SCENARIO_INVALID', `--delays: ${bad.map((delay) => JSON.stringify(delay.part)).join(', ')} is not a positive duration with a unit`, [], 'Example: --delays 0.5ms,1ms,5ms');
  }
  return delays.map((delay) => delay.us as number);
}

async function calibrate(scenarioPath: string, flags: CalibrateFlags): Promise<number> {
  try {
    const delaysUs = parseDelays(flags.delays);
    const scenario = await loadScenario(scenarioPath);
    const arm = scenario.arms.find((candidate) => candidate.proxy !== undefined && topologyDefinition(candidate.topology).serverSidecar);
    if (!arm?.proxy) throw new BenchError('SB_SCENARIO_INVALID', `${scenarioPath}: topologies: calibration needs a topology with a sidecar (sidecar-inbound or sidecar)`);
    const addedDelay = proxyDriver(arm.proxy.profile).capabilities.addedDelay;
    if (!addedDelay.supported) throw new BenchError('SB_SCENARIO_INVALID', `${scenarioPath}: proxy.profile: calibration adds a known delay inside the sidecar, which ${arm.proxy.profile} cannot: ${addedDelay.reason}`);
    const { arms, plan } = calibrationArms(arm.topology, delaysUs, arm.proxy);
    const progress = createProgressDisplay();
    planOrRefuse(scenario, { count: arms.length, label: 'arms' }, flags.maxDuration, progress);
    const outcome = await interruptibly((signal, onCleanup) =>
      runScenario({
        scenario,
        arms,
        baseline: plan.referenceArm,
        calibration: plan,
        reportsDir: resolve(flags.reportsDir),
        progress,
        signal,
        onCleanup,
        toolVersion: TOOL_VERSION,
      }),
    );
    process.stdout.write(`\n${renderTerminalSummary(outcome.summary, { color: Boolean(process.stdout.isTTY) })}\n`);
    if (outcome.outputDir) process.stdout.write(`\nresults: ${outcome.outputDir}/results.json\nreport:  ${outcome.outputDir}/index.html\n`);
    if (outcome.results.run.status === 'interrupted') return EXIT_INTERRUPTED;
    if (outcome.results.run.status === 'failed' || outcome.results.trials.some((trial) => trial.state === 'failed')) return EXIT_CANNOT_RUN;
    const verdict = outcome.summary.calibration;
    if (!verdict?.pass || !verdict.aaPass) {
      process.stderr.write(`sidecar-bench: calibration ${verdict?.pass ? 'passed' : 'FAILED'}; A/A check ${verdict?.aaPass ? 'passed' : 'FAILED'}.\n`);
      return EXIT_GATE_FAILED;
    }
    process.stderr.write('sidecar-bench: calibration passed; A/A check passed.\n');
    return EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}
