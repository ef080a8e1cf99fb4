import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { summarizeResults } from '../analysis/index.js';
import { readResults } from '../results/index.js';
import { writeReports } from '../runner/index.js';
import { reportError } from './exit-codes.js';
import { exitCodeOf, gateRun, type GateFlags } from './gate-check.js';

export function registerGateCommand(program: Command): Command {
  return program
    .command('gate')
    .description('judge a results.json against its scenario thresholds and, with --baseline, against a baseline run; writes junit.xml and summary.md')
    .argument('<results>', 'the candidate run’s results.json')
    .option('--baseline <results>', 'a baseline run’s results.json: regressions are judged against it')
    .addOption(new Option('--inconclusive <policy>', 'exit code when a check is too noisy to judge').choices(['pass', 'fail']))
    .option('--allow-different', 'judge against a baseline that is not comparable (other load, app, topologies or host); every verdict then says what differs')
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
        if (result.verdict === 'error') process.stderr.write(`sidecar-bench: ${resultsPath} is not a complete run; it cannot pass a gate:\n${result.runErrors.map((error) => `  ${error.message}`).join('\n')}\n`);
        process.exitCode = exitCodeOf(result);
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
