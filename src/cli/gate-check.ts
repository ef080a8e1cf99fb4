
import type { ResultsSummary } from '../analysis/index.js';
import { diagnose } from '../analysis/findings/index.js';
import { findingsOf } from '../gate/finding-checks.js';
import { summarizeResults } from '../analysis/index.js';
import { BenchError } from '../errors.js';
import { comparesArms } from '../gate/arm-comparisons.js';
import { compareRuns, describeDifference, evaluateGates, runErrorsOf, writeGateOutputs, type GateResult, type RunDifference } from '../gate/index.js';
import { EXIT_CANNOT_RUN, EXIT_GATE_FAILED, EXIT_OK } from './exit-codes.js';
import { readResults, type Results } from '../results/index.js';
import type { GateCounts } from '../runner/index.js';
import type { GatesSpec } from '../scenario/index.js';

export const NO_GATES: GatesSpec = { inconclusive: 'pass', confidence: 0.95, thresholds: [] };

export interface GateFlags {
  baseline?: string;
  inconclusive?: 'pass' | 'fail';
  /** Judge against a baseline that is not comparable (other load, host…); every verdict then says what differs. */
  allowDifferent?: boolean;
}

const INCOMPARABLE_HINT =
  'Gate against a run of the same scenario (topologies, load, app, placement, sampling) on the same kind of host (CPU, cores, kernel); or pass --allow-different to judge anyway, and every verdict will carry the difference.';

/**
 * What differs between a run (or the scenario about to run) and its baseline: refused when they
 * are incomparable, unless --allow-different; returns every difference, said plainly.
 * @throws BenchError SB_BASELINE_INCOMPATIBLE naming each incomparable field and both values.
 */
export function checkComparable(differences: readonly RunDifference[], flags: GateFlags): RunDifference[] {
  const incompatible = differences.filter((difference) => difference.kind === 'incompatible');
  if (incompatible.length > 0 && !flags.allowDifferent) {
    throw new BenchError('SB_BASELINE_INCOMPATIBLE', `--baseline ${flags.baseline} is not comparable with this run:`, incompatible.map(describeDifference), INCOMPARABLE_HINT);
  }
  return [...differences];
}

/** The gates a run was made with (results written before gates existed have none). */
export function gatesOf(results: Results): GatesSpec {
  return (results.scenario as { gates?: GatesSpec }).gates ?? NO_GATES;
}

/** Judges a run against its thresholds (and a baseline run), writes junit.xml and summary.md beside it. */
export async function gateRun(results: Results, summary: ResultsSummary, outputDir: string, flags: GateFlags): Promise<{ result: GateResult; markdown: string }> {
  const gates = gatesOf(results);
  const baselineResults = flags.baseline ? await readResults(flags.baseline) : undefined;
  const differences = baselineResults ? checkComparable(compareRuns(results, baselineResults), flags) : [];
  const result = evaluateGates({
    results,
    summary,
    gates,
    ...(baselineResults ? { baseline: { results: baselineResults, summary: summarizeResults(baselineResults) } } : {}),
    ...(differences.length > 0 ? { baselineDifferences: differences.map(describeDifference) } : {}),
    ...(differences.some((difference) => difference.kind === 'incompatible') ? { baselineIncomparable: true } : {}),
    ...(flags.inconclusive ? { inconclusivePolicy: flags.inconclusive } : {}),
  });
  const { markdown } = await writeGateOutputs(outputDir, result, results, gates.confidence, process.env, findingsOf(results, summary));
  return { result, markdown };
}

/**
 * Whether a run gets junit.xml and summary.md: it has gates, a baseline or a paired side, findings, or it
 * did not run cleanly (a failed trial or an incomplete run is reported to CI as a JUnit <error>).
 */
export function wantsGate(results: Results, flags: GateFlags): boolean {
  const gates = gatesOf(results);
  return (
    gates.thresholds.length > 0 ||
    (gates.regressions ?? []).some(comparesArms) ||
    (gates.findings?.failOn.length ?? 0) > 0 ||
    flags.baseline !== undefined ||
    results.pairing !== undefined ||
    runErrorsOf(results).length > 0 ||
    // A run with findings gets summary.md too: CI readers see the symptom and its evidence.
    diagnose(results).length > 0
  );
}

/**
 * For a run with adaptive rounds: the gate's verdicts on the rounds so far, judged exactly as the
 * finished run will be (the baseline run is read once, here). Undefined: nothing to gate.
 */
export async function gateSoFar(flags: GateFlags): Promise<(partial: { results: Results; summary: ResultsSummary }) => GateCounts> {
  const baselineResults = flags.baseline ? await readResults(flags.baseline) : undefined;
  const baseline = baselineResults ? { results: baselineResults, summary: summarizeResults(baselineResults) } : undefined;
  return ({ results, summary }) => {
    if (!wantsGate(results, flags)) return undefined;
    const { counts, runErrors } = evaluateGates({ results, summary, gates: gatesOf(results), ...(baseline ? { baseline } : {}), ...(flags.inconclusive ? { inconclusivePolicy: flags.inconclusive } : {}) });
    // A check that cannot be evaluated fails the gate as a failed check does.
    return { fail: counts.fail + counts['not-evaluated'], inconclusive: counts.inconclusive, runErrors: runErrors.length };
  };
}

/** 0 pass · 1 a check failed or was not evaluated · 2 the run is unfit to judge (incomplete, a trial failed). */
export function exitCodeOf(result: GateResult): number {
  return result.verdict === 'pass' ? EXIT_OK : result.verdict === 'fail' ? EXIT_GATE_FAILED : EXIT_CANNOT_RUN;
}

