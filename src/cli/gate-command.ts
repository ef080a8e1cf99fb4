import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { summarizeResults } from '../analysis/index.js';
import { readResults } from '../results/index.js';
import { writeReports } from '../runner/index.js';
import { EXIT_GATE_FAILED, EXIT_OK, reportError } from './exit-codes.js';
import { gateRun, type GateFlags } from './gate-check.js';

export function registerGateCommand(program: Command): Command {
  return program
    .command('gate')
    .description('judge a results.json against its scenario thresholds and, with --baseline, against a baseline run; writes junit.xml and summary.md')
    .argument('<results>', 'the candidate run’s results.json')
    .option('--baseline <results>', 'a baseline run’s results.json: regressions are judged against it')
    .addOption(new Option('--inconclusive <policy>', 'exit code when a check is too noisy to judge').choices(['pass', 'fail']))
    .option('--out <dir>', 'where junit.xml, summary.md and index.html go (default: next to the results)')
    .action(async (resultsPath: string, flags: GateFlags & { out?: string }) => {
      try {
        const results = await readResults(resultsPath);
        const summary = summarizeResults(results);
        const outputDir = resolve(flags.out ?? dirname(resultsPath));
        await mkdir(outputDir, { recursive: true });
        const { result, markdown } = await gateRun(results, summary, outputDir, flags);
        await writeReports(outputDir, results, summary, result);
        process.stdout.write(`${markdown}\nwrote ${outputDir}/junit.xml, ${outputDir}/summary.md, ${outputDir}/index.html\n`);
        process.exitCode = result.verdict === 'pass' ? EXIT_OK : EXIT_GATE_FAILED;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
