/**
 * The words of a calibration verdict, shared by the HTML report and the terminal summary: which
 * estimators it is judged by, and what the delayed arms and the A/A arm showed.
 */
import { P50_TOLERANCE_FLOOR_US, P50_TOLERANCE_SHARE, P99_TOLERANCE_SHARE } from '../analysis/calibration.js';
import { describeStalls, isStallingMachine } from '../host/stall-probe.js';
import { formatMs } from './format.js';
import { ESTIMATOR_SHORT_LABELS, type CalibrationCheck, type CalibrationSummary, type EstimatorName } from './summary-types.js';

export const CALIBRATION_STATISTIC_LABELS = { p50Us: 'P50', p99Us: 'P99' } as const;

/** "judged by: differential, app-µs (the header estimator cannot see …)". */
export function judgedByLine(calibration: CalibrationSummary): string {
  const names = calibration.judgedBy.map((name) => ESTIMATOR_SHORT_LABELS[name]).join(', ');
  const why = calibration.judgedBy.includes('perRequestHeader')
    ? ''
    : ' (the header estimator cannot see a delay upstream of the proxy that sets the header)';
  return `judged by: ${names}${why}`;
}

export function toleranceRule(): string {
  return (
    `An estimator passes when its median lies within the tolerance of D: at P50 ±max(${P50_TOLERANCE_SHARE * 100} % of D, ${P50_TOLERANCE_FLOOR_US} µs), ` +
    `at P99 ±${P99_TOLERANCE_SHARE * 100} % of D.`
  );
}

export function isJudged(calibration: CalibrationSummary, estimator: EstimatorName): boolean {
  return calibration.judgedBy.includes(estimator);
}

/** The checks of each delayed arm (a check carries its D), in the analysis' order: judged estimators first. */
export function checksByArm(calibration: CalibrationSummary, arms: readonly { arm: string; delayUs: number }[]): { arm: string; delayUs: number; checks: CalibrationCheck[] }[] {
  return arms.map(({ arm, delayUs }) => ({ arm, delayUs, checks: calibration.checks.filter((check) => check.delayUs === delayUs) }));
}

/** The delayed arms as the plan names them; without the plan (the terminal has only the summary), one per delay. */
export function delayedArmsOf(calibration: CalibrationSummary, plan?: { delayedArms: readonly { arm: string; delayUs: number }[] }): { arm: string; delayUs: number }[] {
  if (plan !== undefined) return [...plan.delayedArms];
  return [...new Set(calibration.checks.map((check) => check.delayUs))].map((delayUs) => ({ arm: `D = ${formatMs(delayUs)} ms`, delayUs }));
}

/** One sentence on the delayed arms. */
export function delayVerdict(calibration: CalibrationSummary): string {
  const judged = calibration.checks.filter((check) => isJudged(calibration, check.estimator));
  const failed = judged.filter((check) => !check.pass);
  const by = calibration.judgedBy.map((name) => ESTIMATOR_SHORT_LABELS[name]).join(' and ');
  if (judged.length === 0) return 'Delays: FAIL, no estimator the calibration is judged by produced a figure.';
  if (failed.length === 0) return `Delays: PASS, ${by} attributed every injected delay within tolerance (${judged.length} checks).`;
  const list = failed.map((check) => `${ESTIMATOR_SHORT_LABELS[check.estimator]} ${CALIBRATION_STATISTIC_LABELS[check.statistic]} at D = ${formatMs(check.delayUs)} ms`);
  return `Delays: FAIL, ${failed.length} of ${judged.length} checks by ${by} out of tolerance: ${list.join('; ')}.`;
}

/** One sentence on the A/A arm. */
export function aaVerdict(calibration: CalibrationSummary): string {
  const judged = calibration.aa.filter((check) => isJudged(calibration, check.estimator));
  const flagged = judged.filter((check) => check.significance !== 'not significant');
  if (judged.length === 0) return `A/A (${calibration.aaArm} vs ${calibration.referenceArm}): FAIL, no estimator produced a figure.`;
  if (calibration.aaPass) return `A/A (${calibration.aaArm} vs ${calibration.referenceArm}): PASS, no significant difference where there is none.`;
  const list = flagged.map((check) => `${ESTIMATOR_SHORT_LABELS[check.estimator]} ${CALIBRATION_STATISTIC_LABELS[check.statistic]}: ${check.significance}`);
  return `A/A (${calibration.aaArm} vs ${calibration.referenceArm}): FAIL, ${list.join('; ')}.`;
}

/**
 * When a P99 check failed on a machine the stall probe caught stalling: why that can be the
 * machine's doing. A delayed request is in flight longer, so it meets more of the machine's stalls
 * than the reference does; where P99 sits among them, that alone moves P99 by more than D.
 */
export function machineStallsNote(calibration: CalibrationSummary): string | undefined {
  const stalls = calibration.machineStalls;
  const p99Failed = calibration.checks.some((check) => check.statistic === 'p99Us' && isJudged(calibration, check.estimator) && !check.pass);
  if (!stalls || !p99Failed || !isStallingMachine(stalls)) return undefined;
  return (
    `This machine stalled while probed before the trials (${describeStalls(stalls)}). A request that crosses several wake-ups meets such a stall ` +
    'about as often as P99, and a delayed request, in flight longer, meets more of them than the reference: P99 checks at small D can fail here ' +
    'whatever the harness does. `sidecar-bench doctor` measures this; P99 calibration needs a machine that does not stall.'
  );
}

/** The overall verdict: both the delays and the A/A check must pass. */
export function overallVerdict(calibration: CalibrationSummary): { pass: boolean; text: string } {
  const pass = calibration.pass && calibration.aaPass;
  return { pass, text: `Calibration ${pass ? 'PASSED' : 'FAILED'}. ${delayVerdict(calibration)} ${aaVerdict(calibration)}` };
}

/** The estimators the checks mention, in order of first appearance. */
export function estimatorsIn(checks: readonly { estimator: EstimatorName }[]): EstimatorName[] {
  return [...new Set(checks.map((check) => check.estimator))];
}
