import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { summarizeResults } from '../analysis/index.js';
import { renderTerminalSummary } from '../report/index.js';
import { readResults } from '../results/index.js';
import { writeReports } from '../runner/index.js';
import { EXIT_OK, reportError } from './exit-codes.js';

export function registerReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('re-make the HTML report (and the terminal summary) from a results.json, without containers')
    .argument('<results>', 'path of a results.json')
    .option('--out <dir>', 'folder to write index.html into (default: next to results.json)')
    .action(async (resultsPath: string, flags: { out?: string }) => {
      try {
        const results = await readResults(resultsPath);
        const summary = summarizeResults(results);
        const written = await writeReports(resolve(flags.out ?? dirname(resultsPath)), results, summary);
        process.stdout.write(`${renderTerminalSummary(summary, { color: Boolean(process.stdout.isTTY) })}\n\n${written.map((path) => `wrote ${path}`).join('\n')}\n`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
