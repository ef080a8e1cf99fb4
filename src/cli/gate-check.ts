
import type { ResultsSummary } from '../analysis/index.js';
import { summarizeResults } from '../analysis/index.js';
import { evaluateGates, runErrorsOf, writeGateOutputs, type GateResult } from '../gate/index.js';
import { EXIT_CANNOT_RUN, EXIT_GATE_FAILED, EXIT_OK } from './exit-codes.js';
import { readResults, type Results } from '../results/index.js';
import type { GatesSpec } from '../scenario/index.js';

export const NO_GATES: GatesSpec = { inconclusive: 'pass', confidence: 0.95, thresholds: [] };

export interface GateFlags {
  baseline?: string;
  inconclusive?: 'pass' | 'fail';
}

/** The gates a run was made with (results written before gates existed have none). */
export function gatesOf(results: Results): GatesSpec {
  return (results.scenario as { gates?: GatesSpec }).gates ?? NO_GATES;
}

/** Judges a run against its thresholds (and a baseline run), writes junit.xml and summary.md beside it. */
export async function gateRun(results: Results, summary: ResultsSummary, outputDir: string, flags: GateFlags): Promise<{ result: GateResult; markdown: string }> {
  const gates = gatesOf(results);
  const baselineResults = flags.baseline ? await readResults(flags.baseline) : undefined;
  const result = evaluateGates({
    results,
    summary,
    gates,
    ...(baselineResults ? { baseline: { results: baselineResults, summary: summarizeResults(baselineResults) } } : {}),
    ...(flags.inconclusive ? { inconclusivePolicy: flags.inconclusive } : {}),
  });
  const { markdown } = await writeGateOutputs(outputDir, result, results, gates.confidence);
  return { result, markdown };
}

/**
 * Whether a run gets junit.xml and summary.md: it has gates, a baseline or a paired side, or it
 * did not run cleanly (a failed trial or an incomplete run is reported to CI as a JUnit <error>).
 */
export function wantsGate(results: Results, flags: GateFlags): boolean {
  return gatesOf(results).thresholds.length > 0 || flags.baseline !== undefined || results.pairing !== undefined || runErrorsOf(results).length > 0;
}

/** 0 pass · 1 a check failed or was not evaluated · 2 the run is unfit to judge (incomplete, a trial failed). */
export function exitCodeOf(result: GateResult): number {
  return result.verdict === 'pass' ? EXIT_OK : result.verdict === 'fail' ? EXIT_GATE_FAILED : EXIT_CANNOT_RUN;
}

